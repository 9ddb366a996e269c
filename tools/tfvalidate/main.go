// Command tfvalidate validates every Databricks resource an offline plan (`go run ./cmd/plan --json`)
// sends with the Databricks Terraform provider's own code — the provider pulumi-databricks bridges — as
// Terraform would at plan time. It prints one line of counts per stack and exits 1 if any resource (or
// anything it cannot map to the provider's names) is rejected.
//
//	tfvalidate plan-dev.json plan-prod.json
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/bridge"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/planjson"
	_ "github.com/customer-analytics/platform/tools/tfvalidate/internal/quiet" // before the provider logs
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/registry"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/stackcheck"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tfvalidate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	verbose := fs.Bool("v", false, "show the provider's and the plugin SDK's own log lines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: tfvalidate [-v] PLAN.json... (the output of `go run ./cmd/plan --stack S --json`)")
		return 2
	}
	if *verbose {
		log.SetOutput(stderr)
	}
	meta, err := bridge.Load()
	if err != nil {
		fmt.Fprintf(stderr, "tfvalidate: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "tfvalidate: terraform-provider-databricks %s, pulumi-databricks 1.106.0 bridge names\n", registry.ProviderVersion)
	status := 0
	for _, path := range fs.Args() {
		rep, err := validateFile(path, meta)
		if err != nil {
			fmt.Fprintf(stderr, "tfvalidate: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprintf(stdout, "tfvalidate: %s\n", rep.Summary())
		for _, e := range rep.Errors {
			fmt.Fprintf(stderr, "tfvalidate: stack %s: %v\n", rep.Stack, e)
			status = 1
		}
	}
	return status
}

func validateFile(path string, meta *bridge.Metadata) (stackcheck.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return stackcheck.Report{}, err
	}
	defer f.Close()
	plan, err := planjson.Read(f)
	if err != nil {
		return stackcheck.Report{}, fmt.Errorf("%s: %w", path, err)
	}
	return stackcheck.Validate(context.Background(), meta, plan), nil
}
