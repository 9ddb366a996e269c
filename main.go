// Command customer-analytics is the Pulumi program of the customer-analytics data platform.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/customer-analytics/platform/stacks"
)

func main() { pulumi.Run(stacks.Run) }
