package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// rendered is the document for the committed stacks, rendered once for all tests.
func rendered(t *testing.T) string {
	t.Helper()
	doc, err := render("../..", []string{"dev", "prod"})
	require.NoError(t, err)
	return string(doc)
}

// TestArchitectureDocIsCurrent fails when docs/architecture.md differs from what `make docs` writes.
func TestArchitectureDocIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../../docs/architecture.md")
	require.NoError(t, err)
	require.True(t, rendered(t) == string(committed), "docs/architecture.md is stale: run make docs")
}

// TestCheckReportsStaleFile: --check exits 3 on a stale file and 0 on a current one, writing nothing.
func TestCheckReportsStaleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "architecture.md")
	require.NoError(t, os.WriteFile(path, []byte("# Architecture\n\nan old picture\n"), 0o644))
	var out, errOut bytes.Buffer
	require.Equal(t, 3, run([]string{"--dir", "../..", "--out", path, "--check"}, &out, &errOut))
	require.Contains(t, errOut.String(), "is stale: run make docs")

	require.Equal(t, 0, run([]string{"--dir", "../..", "--out", path}, &out, &errOut))
	require.Equal(t, 0, run([]string{"--dir", "../..", "--out", path, "--check"}, &out, &errOut))
}

var (
	mermaidBlock = regexp.MustCompile("(?s)## Stack `([a-z]+)`\n\n```mermaid\n(.*?)```")
	nodeDef      = regexp.MustCompile(`^\s*(?:subgraph )?([A-Za-z0-9_]+)(\[\(|\[|\(\[|\{\{)"[^"]*"(\)\]|\]|\]\)|\}\})$`)
	edgeLine     = regexp.MustCompile(`^\s*([A-Za-z0-9_]+) (-->|-\.->|==>|-\.-)(\|(?:"[^"]*"|[a-z]+)\|)? ([A-Za-z0-9_]+)$`)
)

// diagrams splits the document into each stack's Mermaid source.
func diagrams(t *testing.T, doc string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range mermaidBlock.FindAllStringSubmatch(doc, -1) {
		out[m[1]] = m[2]
	}
	require.Len(t, out, 2)
	return out
}

// parse checks the flowchart's structure line by line (every line a node, an edge, a subgraph or its
// end; nodes defined once; edges between defined nodes; subgraphs closed) and returns its edges as
// "from op to" with labels dropped, and each node's label.
func parse(t *testing.T, src string) (edges map[string]string, labels map[string]string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(src), "\n")
	require.Equal(t, "flowchart LR", lines[0])
	edges, labels = map[string]string{}, map[string]string{}
	depth := 0
	var pending [][]string
	for _, l := range lines[1:] {
		switch m, e := nodeDef.FindStringSubmatch(l), edgeLine.FindStringSubmatch(l); {
		case strings.TrimSpace(l) == "end":
			depth--
			require.GreaterOrEqual(t, depth, 0, "unbalanced end")
		case m != nil:
			require.NotContains(t, labels, m[1], "node %s defined twice", m[1])
			labels[m[1]] = l
			if strings.HasPrefix(strings.TrimSpace(l), "subgraph ") {
				depth++
			}
		case e != nil:
			pending = append(pending, e)
		default:
			t.Fatalf("not a node, edge or subgraph line: %q", l)
		}
	}
	require.Zero(t, depth, "every subgraph is closed")
	for _, e := range pending {
		require.Contains(t, labels, e[1], "edge from undefined node")
		require.Contains(t, labels, e[4], "edge to undefined node")
		edges[e[1]+" "+e[2]+" "+e[4]] = e[3]
	}
	return edges, labels
}

// TestDiagramShowsTheDataFlow: both stacks draw lake -> factory -> Databricks -> gold -> Synapse ->
// analysts from their role assignments; prod shows private endpoints and closed public access, dev
// shows its firewalls and no private endpoint.
func TestDiagramShowsTheDataFlow(t *testing.T) {
	flow := map[string]string{
		"n_datalake_bronze --> n_orchestration_factory":          `|"Storage Blob Data Reader · orchestration-factory system identity"|`,
		"n_orchestration_factory --> n_compute_workspace":        `|"Contributor · orchestration-factory system identity"|`,
		"n_datalake_bronze --> n_compute_workspace":              `|"Storage Blob Data Reader · Unity Catalog access connector"|`,
		"n_compute_workspace --> n_datalake_silver":              `|"Storage Blob Data Contributor · Unity Catalog access connector"|`,
		"n_compute_workspace --> n_datalake_gold":                `|"Storage Blob Data Contributor · Unity Catalog access connector"|`,
		"n_datalake_gold --> n_warehouse_workspace":              `|"Storage Blob Data Reader · warehouse-workspace system identity"|`,
		"n_warehouse_workspace ==> n_group_analysts":             `|"serverless SQL views"|`,
		"n_datalake_gold --> n_group_analysts":                   `|"Storage Blob Data Reader · analysts"|`,
		"n_identity_vault --> n_orchestration_factory":           `|"Key Vault Secrets User · orchestration-factory system identity"|`,
		"n_orchestration_factory -.-> n_observability_logs":      "|logs|",
		"n_datalake_account -.-> n_observability_logs":           "|logs|",
		"n_compute_workspace -.-> n_observability_logs":          "|logs|",
		"n_warehouse_workspace -.-> n_observability_logs":        "|logs|",
		"n_identity_vault -.-> n_observability_logs":             "|logs|",
		"n_warehouse_workspace --> n_warehouse_filesystem":       `|"Storage Blob Data Contributor · warehouse-workspace system identity"|`,
		"n_orchestration_factory -.-> n_datalake_account":        `|"managed PE dfs"|`,
		"n_orchestration_factory -.-> n_compute_workspace":       `|"managed PE databricks_ui_api"|`,
		"n_datalake_dfs_pe -.- n_datalake_account":               "",
		"n_datalake_blob_pe -.- n_datalake_account":              "",
		"n_identity_vault_pe -.- n_identity_vault":               "",
		"n_compute_workspace_pe -.- n_compute_workspace":         "",
		"n_orchestration_factory_pe -.- n_orchestration_factory": "",
		"n_warehouse_dev_pe -.- n_warehouse_workspace":           "",
		"n_warehouse_serverless_pe -.- n_warehouse_workspace":    "",
		"n_warehouse_sql_pe -.- n_warehouse_workspace":           "",
	}
	private := func(e string) bool { return strings.Contains(e, "_pe ") || strings.Contains(e, "managed PE") }
	for stack, src := range diagrams(t, rendered(t)) {
		t.Run(stack, func(t *testing.T) {
			edges, labels := parse(t, src)
			want := map[string]string{}
			for e, label := range flow {
				if stack == "prod" || !private(e+label) {
					want[e] = label
				}
			}
			require.Equal(t, want, edges)
			account := labels["n_datalake_account"]
			if stack == "prod" {
				require.Contains(t, account, "public network access: Disabled")
			} else {
				require.Contains(t, account, "public network access: Enabled (firewall: deny by default)")
			}
			require.Contains(t, labels["n_observability_logs"], "1 workbook")
		})
	}
}
