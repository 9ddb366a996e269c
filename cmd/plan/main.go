// Command plan runs the Pulumi program offline, under recording mocks, with a stack's config and prints
// what `pulumi up` would create: the resource tree, the RBAC matrix, the access matrix across Azure RBAC,
// Unity Catalog, Databricks permissions and Synapse SQL, and the policy summary (or all
// inputs and mocked outputs as JSON). It needs no cloud, no Pulumi CLI and no credentials.
//
// Exit status: 0 plan printed, 1 the program failed (e.g. a config error naming its key), 2 bad
// usage, 3 policy violations.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/customer-analytics/platform/internal/access"
	"github.com/customer-analytics/platform/internal/planview"
	"github.com/customer-analytics/platform/internal/policy"
	"github.com/customer-analytics/platform/offline"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "dev", "stack to plan (reads Pulumi.<stack>.yaml)")
	configPath := fs.String("config", "", "read this stack file instead of Pulumi.<stack>.yaml")
	dir := fs.String("dir", ".", "directory inside the Pulumi project")
	asJSON := fs.Bool("json", false, "print every resource's inputs and mocked outputs, the role assignments and the policy results as JSON")
	asMarkdown := fs.Bool("markdown", false, "print the diagram, the RBAC and access matrices and the policy summary as GitHub markdown")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *asJSON && *asMarkdown {
		fmt.Fprintln(stderr, "plan: --json and --markdown are exclusive")
		return 2
	}

	res, err := offline.RunStack(*dir, *stack, *configPath)
	if err != nil {
		fmt.Fprintf(stderr, "plan: stack %s: %v\n", *stack, err)
		return 1
	}
	exceptions, err := res.PolicyExceptions()
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}
	inv := res.Inventory()
	p := planview.Plan{Project: res.Project, Stack: res.Stack, Inventory: inv, Lookups: res.Recorder.Calls(), Policy: policy.Evaluate(inv, exceptions)}
	if p.Access, err = accessMatrix(*dir, p); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return 1
	}

	switch {
	case *asJSON:
		err = planview.WriteJSON(stdout, p)
	case *asMarkdown:
		err = planview.Markdown(stdout, p)
	default:
		err = planview.Text(stdout, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: writing output: %v\n", err)
		return 1
	}
	if v := p.Policy.Violations(); len(v) > 0 {
		for _, r := range v {
			fmt.Fprintf(stderr, "plan: policy %s %s: %v\n", r.Rule.ID, r.Status, errors.Join(stringsToErrors(r.Findings, r.Reason)...))
		}
		return 3
	}
	return 0
}

// accessMatrix joins the plan and the committed Synapse scripts into the cross-layer access matrix.
func accessMatrix(dir string, p planview.Plan) (*access.Matrix, error) {
	root, err := offline.ProjectDir(dir)
	if err != nil {
		return nil, err
	}
	sql, err := access.ReadSQL(filepath.Join(root, "synapse"))
	if err != nil {
		return nil, err
	}
	m, err := access.Build(p.Inventory, p.Lookups, sql)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

func stringsToErrors(findings []string, reason string) []error {
	if len(findings) == 0 {
		return []error{fmt.Errorf("exception no longer needed (reason was: %s)", reason)}
	}
	out := make([]error, len(findings))
	for i, f := range findings {
		out[i] = errors.New(f)
	}
	return out
}
