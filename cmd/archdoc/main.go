// Command archdoc writes docs/architecture.md: the architecture diagram of each committed stack, drawn
// from its offline plan (the same picture the pull-request comment shows). `make docs` runs it; with
// --check it only reports whether the file is current.
//
// Exit status: 0 written (or current), 1 a stack failed to plan or the file could not be written,
// 2 bad usage, 3 --check found the file stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/customer-analytics/platform/internal/planview"
	"github.com/customer-analytics/platform/offline"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("archdoc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", ".", "directory inside the Pulumi project")
	out := fs.String("out", "docs/architecture.md", "file to write, relative to the project root")
	stacks := fs.String("stacks", "dev,prod", "comma-separated stacks, in document order")
	check := fs.Bool("check", false, "do not write: exit 3 when the file differs from what would be written")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	root, err := offline.ProjectDir(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "archdoc: %v\n", err)
		return 1
	}
	want, err := render(root, strings.Split(*stacks, ","))
	if err != nil {
		fmt.Fprintf(stderr, "archdoc: %v\n", err)
		return 1
	}
	path := *out
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	if *check {
		got, _ := os.ReadFile(path)
		if !bytes.Equal(got, want) {
			fmt.Fprintf(stderr, "archdoc: %s is stale: run make docs\n", *out)
			return 3
		}
		fmt.Fprintf(stdout, "archdoc: %s is current\n", *out)
		return 0
	}
	if err := os.WriteFile(path, want, 0o644); err != nil {
		fmt.Fprintf(stderr, "archdoc: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "archdoc: wrote %s\n", *out)
	return 0
}

// render plans each stack offline and draws the document.
func render(root string, stacks []string) ([]byte, error) {
	var plans []planview.Plan
	for _, stack := range stacks {
		res, err := offline.RunStack(root, stack, "")
		if err != nil {
			return nil, fmt.Errorf("stack %s: %w", stack, err)
		}
		plans = append(plans, planview.Plan{Project: res.Project, Stack: res.Stack, Inventory: res.Inventory()})
	}
	var b bytes.Buffer
	if err := planview.ArchitectureDoc(&b, plans); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
