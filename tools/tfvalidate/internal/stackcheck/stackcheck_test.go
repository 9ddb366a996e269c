package stackcheck_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/tools/tfvalidate/internal/bridge"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/check"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/convert"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/planjson"
	_ "github.com/customer-analytics/platform/tools/tfvalidate/internal/quiet"
	"github.com/customer-analytics/platform/tools/tfvalidate/internal/stackcheck"
)

var stacks = []string{"dev", "prod"}

// What each recorded stack sends (testdata/plan-<stack>.json.gz, see testdata/README.md).
var wantValidated = map[string]int{
	"databricks_catalog":               1,
	"databricks_cluster":               1,
	"databricks_cluster_policy":        1,
	"databricks_directory":             1,
	"databricks_external_location":     3,
	"databricks_grants":                11,
	"databricks_notebook":              2,
	"databricks_permission_assignment": 2,
	"databricks_permissions":           3,
	"databricks_schema":                3,
	"databricks_secret_scope":          1,
	"databricks_service_principal":     1,
	"databricks_sql_table":             4,
	"databricks_storage_credential":    1,
	"databricks_workspace_file":        12,
}

func recorded(t *testing.T, stack string) *planjson.Plan {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "plan-"+stack+".json.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	p, err := planjson.Read(zr)
	require.NoError(t, err)
	return p
}

func metadata(t *testing.T) *bridge.Metadata {
	t.Helper()
	m, err := bridge.Load()
	require.NoError(t, err)
	return m
}

func TestRecordedStacksAreValid(t *testing.T) {
	meta := metadata(t)
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			plan := recorded(t, stack)
			rep := stackcheck.Validate(context.Background(), meta, plan)
			require.Empty(t, rep.Errors)
			require.Equal(t, stack, rep.Stack)
			require.Equal(t, 1, rep.Providers)
			require.Equal(t, wantValidated, rep.Validated)
			require.Empty(t, rep.Unknowns)
			// Every databricks:* resource of the plan was validated, none skipped.
			sent := 0
			for _, r := range plan.Resources {
				if strings.HasPrefix(r.Type, "databricks:") {
					sent++
				}
			}
			require.Equal(t, sent, rep.Total())
		})
	}
}

// find returns the recorded resource with that Pulumi name, for mutation.
func find(t *testing.T, plan *planjson.Plan, name string) *planjson.Resource {
	t.Helper()
	for i := range plan.Resources {
		if plan.Resources[i].Name == name {
			return &plan.Resources[i]
		}
	}
	require.Failf(t, "no such resource", "%s", name)
	return nil
}

type broken struct {
	name     string
	resource string // Pulumi name of the resource mutated
	mutate   func(r *planjson.Resource)
	// check inspects the single error the mutation must cause.
	check func(t *testing.T, err error)
}

func stageError(stage check.Stage, contains ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ce *check.Error
		require.ErrorAs(t, err, &ce)
		require.Equal(t, stage, ce.Stage, "%v", err)
		for _, c := range contains {
			require.Contains(t, err.Error(), c)
		}
	}
}

func conversionError(target error, contains ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		var ce *convert.Error
		require.ErrorAs(t, err, &ce)
		if target != nil {
			require.ErrorIs(t, err, target)
		}
		for _, c := range contains {
			require.Contains(t, err.Error(), c)
		}
	}
}

func otherError(contains ...string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		for _, c := range contains {
			require.Contains(t, err.Error(), c)
		}
	}
}

var brokenInputs = []broken{
	{"unknown attribute", "compute-cluster",
		func(r *planjson.Resource) { r.Inputs["clusterNmae"] = "typo" },
		conversionError(convert.ErrUnknownProperty, "clusterNmae")},
	{"unknown nested attribute", "compute-secret-scope",
		func(r *planjson.Resource) { r.Inputs["keyvaultMetadata"].(map[string]any)["dnsNmae"] = "x" },
		conversionError(convert.ErrUnknownProperty, "keyvaultMetadata.dnsNmae")},
	{"missing required", "compute-cluster",
		func(r *planjson.Resource) { delete(r.Inputs, "sparkVersion") },
		stageError(check.StageValidate, "Missing required argument", "spark_version")},
	{"missing required nested", "compute-cluster-permissions",
		func(r *planjson.Resource) { delete(r.Inputs, "accessControls") },
		stageError(check.StageValidate, "Missing required argument", "access_control")},
	{"conflicting attributes", "compute-cluster",
		func(r *planjson.Resource) { r.Inputs["instancePoolId"] = "pool-1" },
		stageError(check.StageValidate, "Conflicting configuration arguments", "instance_pool_id", "node_type_id")},
	{"conflicting permission objects", "compute-policy-permissions",
		func(r *planjson.Resource) { r.Inputs["clusterId"] = "1126-020000-32cb4e65" },
		stageError(check.StageValidate, "Conflicting configuration arguments", "cluster_id", "cluster_policy_id")},
	{"bad value (ValidateFunc)", "compute-cluster",
		func(r *planjson.Resource) { r.Inputs["runtimeEngine"] = "TURBO" },
		stageError(check.StageValidate, "runtime_engine", "TURBO")},
	{"bad value (ValidateDiagFunc)", "compute-secret-scope",
		func(r *planjson.Resource) { r.Inputs["name"] = "key vault!" },
		stageError(check.StageValidate, "name")},
	{"wrong type", "compute-cluster",
		func(r *planjson.Resource) { r.Inputs["autoterminationMinutes"] = "twenty" },
		conversionError(nil, "autoterminationMinutes", "a number is required")},
	{"object where the bridge keeps a list", "compute-cluster-permissions",
		func(r *planjson.Resource) { r.Inputs["accessControls"] = r.Inputs["accessControls"].([]any)[0] },
		conversionError(nil, "accessControls", "expected a list")},
	{"plan-time check (CustomizeDiff)", "compute-policy-permissions",
		func(r *planjson.Resource) {
			r.Inputs["accessControls"].([]any)[0].(map[string]any)["permissionLevel"] = "CAN_MANAGE"
		},
		stageError(check.StagePlan, "permission_level CAN_MANAGE is not supported with cluster_policy_id objects")},
	{"plugin-framework resource", "compute-cluster",
		func(r *planjson.Resource) {
			r.Type = "databricks:index/accountFederationPolicy:AccountFederationPolicy"
		},
		otherError("databricks_account_federation_policy is served by the provider's plugin-framework half")},
	{"unknown token", "compute-cluster",
		func(r *planjson.Resource) { r.Type = "databricks:index/clusterr:Clusterr" },
		otherError("type token databricks:index/clusterr:Clusterr is not in the pulumi-databricks bridge metadata")},
	{"two principals in one workspace assignment", "compute-engineers-assignment",
		func(r *planjson.Resource) { r.Inputs["servicePrincipalName"] = "00000000-0000-0000-0000-000000000001" },
		stageError(check.StageValidate, "group_name", "service_principal_name")},
	{"external location without url", "catalog-location-gold",
		func(r *planjson.Resource) { delete(r.Inputs, "url") },
		stageError(check.StageValidate, "url")},
	{"grant without a principal", "catalog-grants-catalog",
		func(r *planjson.Resource) { delete(r.Inputs["grants"].([]any)[0].(map[string]any), "principal") },
		stageError(check.StageValidate, "principal")},
	{"table without a type", "catalog-table-store-performance",
		func(r *planjson.Resource) { delete(r.Inputs, "tableType") },
		stageError(check.StageValidate, "table_type")},
	{"default provider", "catalog-grants-catalog",
		func(r *planjson.Resource) { r.Provider = "" },
		otherError("is not a valid explicit pulumi:providers:databricks")},
}

func TestBrokenInputsFail(t *testing.T) {
	meta := metadata(t)
	for _, stack := range stacks {
		for _, tc := range brokenInputs {
			t.Run(stack+"/"+tc.name, func(t *testing.T) {
				plan := recorded(t, stack)
				r := find(t, plan, tc.resource)
				tc.mutate(r)
				rep := stackcheck.Validate(context.Background(), meta, plan)
				require.Len(t, rep.Errors, 1, "%v", rep.Errors)
				require.Equal(t, r.URN, rep.Errors[0].URN)
				t.Log(rep.Errors[0].Err)
				tc.check(t, rep.Errors[0])
				// The rest of the stack still validates: one resource fewer.
				require.Equal(t, total(wantValidated)-1, rep.Total())
			})
		}
	}
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

func TestBrokenProviderConfigFails(t *testing.T) {
	meta := metadata(t)
	cases := map[string]struct {
		mutate   func(in map[string]any)
		contains string
	}{
		"unknown key": {func(in map[string]any) { in["hots"] = "x" }, "hots"},
		"wrong type":  {func(in map[string]any) { in["httpTimeoutSeconds"] = "soon" }, "httpTimeoutSeconds: inappropriate value: a number is required"},
	}
	for _, stack := range stacks {
		for name, tc := range cases {
			t.Run(stack+"/"+name, func(t *testing.T) {
				plan := recorded(t, stack)
				p := find(t, plan, "compute-databricks")
				tc.mutate(p.Inputs)
				rep := stackcheck.Validate(context.Background(), meta, plan)
				require.Equal(t, 0, rep.Providers)
				require.Equal(t, 0, rep.Total())
				// The provider and every resource it serves fail.
				require.Len(t, rep.Errors, 1+total(wantValidated))
				require.Equal(t, p.URN, rep.Errors[0].URN)
				require.Contains(t, rep.Errors[0].Error(), tc.contains)
			})
		}
	}
}

// Non-string provider settings may arrive JSON-encoded as strings; they are decoded and typed.
func TestProviderConfigStringEncodedValues(t *testing.T) {
	meta := metadata(t)
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			plan := recorded(t, stack)
			p := find(t, plan, "compute-databricks")
			p.Inputs["httpTimeoutSeconds"] = "60"
			p.Inputs["skipVerify"] = "false"
			rep := stackcheck.Validate(context.Background(), meta, plan)
			require.Empty(t, rep.Errors)
			require.Equal(t, 1, rep.Providers)
			require.Equal(t, wantValidated, rep.Validated)
		})
	}
}

// Values the offline plan cannot show are unknown to Terraform too: they pass value checks and are
// counted, while the rest of the resource is still checked.
func TestUnknownValuesAreNotValueChecked(t *testing.T) {
	meta := metadata(t)
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			plan := recorded(t, stack)
			r := find(t, plan, "compute-cluster")
			r.Inputs["runtimeEngine"] = convert.Unknown
			r.Inputs["clusterName"] = convert.Secret
			rep := stackcheck.Validate(context.Background(), meta, plan)
			require.Empty(t, rep.Errors)
			require.Equal(t, []string{r.URN + ":clusterName", r.URN + ":runtimeEngine"}, rep.Unknowns)

			// A bad known value beside them still fails.
			r.Inputs["numWorkers"] = json.Number("-1")
			rep = stackcheck.Validate(context.Background(), meta, plan)
			require.Len(t, rep.Errors, 1)
			require.Contains(t, rep.Errors[0].Error(), "num_workers")
		})
	}
}

// The recorded plans are what cmd/plan prints: the JSON must round-trip into the reader's fields.
func TestRecordedPlansHaveInputs(t *testing.T) {
	for _, stack := range stacks {
		plan := recorded(t, stack)
		r := find(t, plan, "compute-cluster")
		require.Equal(t, "databricks:index/cluster:Cluster", r.Type)
		require.Equal(t, json.Number("20"), r.Inputs["autoterminationMinutes"])
	}
}

// A resource type the stacks do not send yet goes through the same generic mapping: nested pluralised
// lists (tasks -> task, libraries -> library), nested single objects (notebookTask, newCluster,
// autoscale, pypi) and nested renames, then the provider's checks on the nested values.
func TestOtherTokensMapGenerically(t *testing.T) {
	meta := metadata(t)
	job := func() map[string]any {
		return map[string]any{
			"name": "ca-pipeline",
			"tasks": []any{map[string]any{
				"taskKey":      "bronze_to_silver",
				"notebookTask": map[string]any{"notebookPath": "/Shared/pipelines/bronze_to_silver", "baseParameters": map[string]any{"storage_account": "stcadev"}},
				"newCluster": map[string]any{
					"sparkVersion": "15.4.x-scala2.12", "nodeTypeId": "Standard_DS3_v2",
					"autoscale": map[string]any{"minWorkers": json.Number("1"), "maxWorkers": json.Number("2")},
				},
				"libraries": []any{map[string]any{"pypi": map[string]any{"package": "great-expectations==1.3.0"}}},
			}},
		}
	}
	for _, stack := range stacks {
		t.Run(stack, func(t *testing.T) {
			plan := recorded(t, stack)
			cluster := find(t, plan, "compute-cluster")
			add := func(inputs map[string]any) {
				plan.Resources = append(plan.Resources, planjson.Resource{
					URN: strings.Replace(cluster.URN, "cluster:Cluster::compute-cluster", "job:Job::compute-job", 1), Type: "databricks:index/job:Job",
					Name: "compute-job", Provider: cluster.Provider, Custom: true, Inputs: inputs,
				})
			}
			add(job())
			rep := stackcheck.Validate(context.Background(), meta, plan)
			require.Empty(t, rep.Errors)
			require.Equal(t, 1, rep.Validated["databricks_job"])

			plan = recorded(t, stack)
			bad := job()
			task := bad["tasks"].([]any)[0].(map[string]any)
			task["notebookTask"].(map[string]any)["notebookPth"] = "/x"
			add(bad)
			rep = stackcheck.Validate(context.Background(), meta, plan)
			require.Len(t, rep.Errors, 1)
			require.ErrorIs(t, rep.Errors[0], convert.ErrUnknownProperty)
			require.Contains(t, rep.Errors[0].Error(), "tasks[0].notebookTask.notebookPth")

			plan = recorded(t, stack)
			bad = job()
			bad["tasks"].([]any)[0].(map[string]any)["newCluster"].(map[string]any)["runtimeEngine"] = "TURBO"
			add(bad)
			rep = stackcheck.Validate(context.Background(), meta, plan)
			require.Len(t, rep.Errors, 1)
			require.Contains(t, rep.Errors[0].Error(), `expected task.0.new_cluster.0.runtime_engine to be one of ["PHOTON" "STANDARD"], got TURBO`)
		})
	}
}
