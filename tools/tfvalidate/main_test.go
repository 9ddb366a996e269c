package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// gunzip writes a recorded plan to a temporary file, as `cmd/plan --json` would.
func gunzip(t *testing.T, stack string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "plan-"+stack+".json.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), stack+".json")
	out, err := os.Create(path)
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	return path
}

func TestRunPrintsCountsPerStack(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{gunzip(t, "dev"), gunzip(t, "prod")}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	require.Empty(t, stderr.String())
	const counts = "1 provider config(s) and 47 resources valid (databricks_catalog 1, databricks_cluster 1, databricks_cluster_policy 1, " +
		"databricks_directory 1, databricks_external_location 3, databricks_grants 11, databricks_notebook 2, " +
		"databricks_permission_assignment 2, databricks_permissions 3, databricks_schema 3, databricks_secret_scope 1, " +
		"databricks_service_principal 1, databricks_sql_table 4, databricks_storage_credential 1, databricks_workspace_file 12); " +
		"0 value(s) unknown offline, 0 error(s)"
	require.Equal(t, "tfvalidate: terraform-provider-databricks v1.126.0, pulumi-databricks 1.106.0 bridge names\n"+
		"tfvalidate: stack dev: "+counts+"\n"+
		"tfvalidate: stack prod: "+counts+"\n", stdout.String())
}

func TestRunFailsOnABrokenPlan(t *testing.T) {
	path := gunzip(t, "dev")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var plan map[string]any
	require.NoError(t, json.Unmarshal(raw, &plan))
	for _, r := range plan["resources"].([]any) {
		if r := r.(map[string]any); r["type"] == "databricks:index/cluster:Cluster" {
			inputs := r["inputs"].(map[string]any)
			inputs["sparkVersoin"] = inputs["sparkVersion"]
			delete(inputs, "sparkVersion")
		}
	}
	raw, err = json.Marshal(plan)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, raw, 0o600))

	var stdout, stderr bytes.Buffer
	require.Equal(t, 1, run([]string{path}, &stdout, &stderr))
	require.Contains(t, stdout.String(), "stack dev: 1 provider config(s) and 46 resources valid")
	require.Contains(t, stderr.String(), "sparkVersoin: no such attribute in the provider schema")
}

func TestRunUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	require.Equal(t, 2, run(nil, &stdout, &stderr))
	require.Equal(t, 1, run([]string{filepath.Join(t.TempDir(), "missing.json")}, &stdout, &stderr))
}
