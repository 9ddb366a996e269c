// Package databricks is a hand-written binding for the Databricks Pulumi provider,
// github.com/pulumi/pulumi-databricks/sdk/go/databricks at v1.106.0, which cannot be installed here. It
// registers the official type tokens (databricks:index/…, pulumi:providers:databricks) with the plugin
// pinned at 1.106.0 and mirrors the generated SDK's names and shapes for the resources and fields the
// platform uses. Resources are created through an explicit Provider configured for the workspace the
// same program creates.
package databricks

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// PluginVersion is the Databricks provider plugin the resources are registered with.
const PluginVersion = "1.106.0"

func defaultOpts(opts []pulumi.ResourceOption) []pulumi.ResourceOption {
	return append([]pulumi.ResourceOption{pulumi.Version(PluginVersion)}, opts...)
}
