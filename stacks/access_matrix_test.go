package stacks_test

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/access"
	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
	"github.com/customer-analytics/platform/offline"
)

// The cross-layer access matrix (issue 11, item 7) of the recorded stacks, with the committed Synapse
// scripts: who can do what to each layer in Azure RBAC, Unity Catalog, Databricks and Synapse SQL.

func synapseSQL(t *testing.T) access.SQL {
	t.Helper()
	q, err := access.ReadSQL(filepath.Join(projectRoot(t), "synapse"))
	require.NoError(t, err)
	return q
}

func matrixOf(t *testing.T, resources []mocks.Resource, res *offline.Result, q access.SQL) access.Matrix {
	t.Helper()
	m, err := access.Build(inventory.New(resources), res.Recorder.Calls(), q)
	require.NoError(t, err)
	return m
}

// cells renders a matrix as principal/layer/control -> entries, the shape the expectations use.
func cells(m access.Matrix) map[string][]string {
	out := map[string][]string{}
	for _, r := range m.Rows {
		for _, c := range access.Controls {
			for _, e := range r.Cells[c] {
				k := fmt.Sprintf("%s/%s/%s", r.Principal, r.Layer, c)
				out[k] = append(out[k], e.String())
			}
		}
	}
	return out
}

// recordedGroup is the Entra group the identity component creates under a key.
func recordedGroup(t *testing.T, res *offline.Result, key string) (objectID, displayName string) {
	t.Helper()
	inv := res.Inventory()
	for _, r := range inv.OfType("azuread:index/group:Group") {
		if inv.Key(r) == key {
			oid, _ := r.Out("objectId").(string)
			return oid, r.InString("displayName")
		}
	}
	t.Fatalf("no %s group recorded", key)
	return "", ""
}

func recordedID(t *testing.T, res *offline.Result, typ, name string) string {
	t.Helper()
	return one(t, res, typ, name).ID
}

func extra(typ, name string, inputs map[string]any) mocks.Resource {
	return mocks.Resource{URN: "urn:test::" + name, Type: typ, Name: name, Custom: true, ID: name,
		Inputs: resource.NewPropertyMapFromMap(inputs), Outputs: resource.NewPropertyMapFromMap(inputs)}
}

// TestAnalystsReadGoldAndNothingElse: in both stacks the analysts can read gold (a blob reader role on
// the gold container, SELECT on the gold views in Synapse) and hold nothing beyond reading gold in any
// layer of control. The check is shown to fail when a plan gives them one thing more per layer.
func TestAnalystsReadGoldAndNothingElse(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			res, q := runStack(t, stack), synapseSQL(t)
			base := res.Recorder.Resources()
			m := matrixOf(t, base, res, q)
			require.Empty(t, access.ReadsGoldOnly(m, "analysts"))
			gold := cells(m)
			require.NotEmpty(t, gold["analysts/gold/"+string(access.AzureRBAC)], "analysts read gold in Azure RBAC")
			require.Contains(t, gold["analysts/gold/"+string(access.SynapseSQL)], "SELECT @ object gold.vw_store_comparison (SQL role analysts)")

			oid, name := recordedGroup(t, res, "analysts")
			silver := recordedID(t, res, "azure-native:storage:BlobContainer", "datalake-silver")
			cluster := ofType(res, "databricks:index/cluster:Cluster")
			require.Len(t, cluster, 1)
			for what, mutation := range map[string]struct {
				add  mocks.Resource
				sql  string
				want string
			}{
				"an Azure role on silver": {add: extra("azure-native:authorization:RoleAssignment", "extra-ra", map[string]any{
					"principalId": oid, "principalType": "Group", "scope": silver,
					"roleDefinitionId": roles.StorageBlobDataReader.DefinitionID(mocks.SubscriptionID),
				}), want: "analysts on silver: Azure RBAC: Storage Blob Data Reader"},
				"a Unity Catalog grant on silver": {add: extra("databricks:index/grants:Grants", "extra-grants", map[string]any{
					"schema": "any_catalog.silver", "grants": []any{map[string]any{"principal": name, "privileges": []any{"SELECT"}}},
				}), want: "analysts on silver: Unity Catalog: SELECT @ schema any_catalog.silver allows read"},
				"a Databricks permission on the cluster": {add: extra("databricks:index/permissions:Permissions", "extra-perms", map[string]any{
					"clusterId": cluster[0].ID, "accessControls": []any{map[string]any{"groupName": name, "permissionLevel": "CAN_ATTACH_TO"}},
				}), want: "analysts on platform: Databricks permissions: CAN_ATTACH_TO @ cluster"},
				"a SQL GRANT on silver": {sql: "GRANT SELECT ON SCHEMA::silver TO analysts;",
					want: "analysts on silver: Synapse SQL: SELECT @ schema silver (SQL role analysts) allows read"},
			} {
				t.Run(what, func(t *testing.T) {
					resources, mutated := append(append([]mocks.Resource{}, base...), mutation.add), q
					if mutation.add.Type == "" {
						resources = base
					}
					if mutation.sql != "" {
						more, err := access.ParseSQL("099_extra.sql", mutation.sql)
						require.NoError(t, err)
						mutated.Grants = append(append([]access.SQLGrant{}, q.Grants...), more.Grants...)
					}
					got := access.ReadsGoldOnly(matrixOf(t, resources, res, mutated), "analysts")
					require.Len(t, got, 1, strings.Join(got, "\n"))
					require.Contains(t, got[0], mutation.want)
				})
			}
		})
	}
}

const (
	rbac = access.AzureRBAC
	uc   = access.UnityCatalog
	dbx  = access.Databricks
	sql  = access.SynapseSQL
)

func k(principal string, l access.Layer, c access.Control) string {
	return fmt.Sprintf("%s/%s/%s", principal, l, c)
}

// goldTables are the four gold tables of the contract, registered in Unity Catalog.
var goldTables = []string{"customer_segmentation", "daily_sales_summary", "product_category_performance", "store_performance"}

// onGoldTables is one privilege on each gold table, as the matrix prints it.
func onGoldTables(format string) []string {
	var out []string
	for _, t := range goldTables {
		out = append(out, fmt.Sprintf(format, "table gold."+t))
	}
	return out
}

// expectedAccess is the whole matrix of a stack: every cell, exactly.
func expectedAccess(t *testing.T, stack string) map[string][]string {
	n := names(t, stack)
	st, kv, adf, syn, dbw := n.Compact("st"), n.Global("kv"), n.Global("adf"), n.Global("syn"), n.Regional("dbw")
	cat, pipelines := "ca_"+stack, "ca-"+stack+"-pipelines"
	layerUC := func(layer string) []string {
		loc, schema := "external location "+cat+"_"+layer, "schema "+cat+"."+layer
		return []string{"CREATE EXTERNAL TABLE @ " + loc, "CREATE TABLE @ " + schema, "MODIFY @ " + schema, "READ FILES @ " + loc,
			"SELECT @ " + schema, "USE SCHEMA @ " + schema, "WRITE FILES @ " + loc}
	}
	owns := func(objects ...string) []string {
		var out []string
		for _, o := range objects {
			out = append(out, "OWNER @ "+o+" (creates it)")
		}
		return out
	}
	return map[string][]string{
		// Analysts: read gold, in every layer of control, and see the factory's runs; nothing else.
		k("analysts", access.Gold, rbac): {"Storage Blob Data Reader @ container " + st + "/gold"},
		k("analysts", access.Gold, uc):   append(onGoldTables("SELECT @ %s"), "USE SCHEMA @ schema "+cat+".gold"),
		k("analysts", access.Gold, sql): {"REFERENCES @ credential WorkspaceIdentity (SQL role analysts)",
			"SELECT @ object gold.vw_executive_dashboard (SQL role analysts)", "SELECT @ object gold.vw_high_value_customers (SQL role analysts)",
			"SELECT @ object gold.vw_monthly_revenue_trend (SQL role analysts)", "SELECT @ object gold.vw_store_comparison (SQL role analysts)",
			"SELECT @ object gold.vw_top_categories_last_30_days (SQL role analysts)"},
		k("analysts", access.Platform, rbac): {"Reader @ factory " + adf},
		k("analysts", access.Platform, uc):   {"USE CATALOG @ catalog " + cat},
		k("analysts", access.Platform, dbx):  {"USER @ workspace assignment"},

		// Engineers: all three layers, the workspaces and the factory.
		k("engineers", access.Bronze, rbac): {"Storage Blob Data Contributor @ account " + st},
		k("engineers", access.Bronze, uc):   layerUC("bronze"),
		k("engineers", access.Silver, rbac): {"Storage Blob Data Contributor @ account " + st},
		k("engineers", access.Silver, uc):   layerUC("silver"),
		k("engineers", access.Gold, rbac):   {"Storage Blob Data Contributor @ account " + st},
		k("engineers", access.Gold, uc):     layerUC("gold"),
		k("engineers", access.Platform, rbac): {"Contributor @ Databricks workspace " + dbw, "Contributor @ Synapse workspace " + syn,
			"Data Factory Contributor @ factory " + adf, "Key Vault Secrets User @ key vault " + kv, "Storage Blob Data Contributor @ account " + st},
		k("engineers", access.Platform, uc): {"USE CATALOG @ catalog " + cat},
		k("engineers", access.Platform, dbx): {"CAN_MANAGE @ folder /Shared/pipelines", "CAN_RESTART @ cluster " + pipelines,
			"CAN_USE @ policy " + pipelines, "USER @ workspace assignment"},
		k("engineers", access.Platform, sql): {"Synapse Administrator @ Synapse workspace " + syn + " (synapse-roles.sh)"},

		// The identity that runs the notebooks: Data Factory's, known to Databricks by its application id.
		k("orchestration-factory", access.Bronze, rbac): {"Storage Blob Data Reader @ container " + st + "/bronze"},
		k("orchestration-factory", access.Bronze, uc):   {"READ FILES @ external location " + cat + "_bronze"},
		k("orchestration-factory", access.Silver, uc):   {"READ FILES @ external location " + cat + "_silver", "WRITE FILES @ external location " + cat + "_silver"},
		k("orchestration-factory", access.Gold, uc): append(append(onGoldTables("MODIFY @ %s"), onGoldTables("SELECT @ %s")...),
			"USE SCHEMA @ schema "+cat+".gold"),
		k("orchestration-factory", access.Platform, rbac): {"Contributor @ Databricks workspace " + dbw, "Key Vault Secrets User @ key vault " + kv},
		k("orchestration-factory", access.Platform, uc):   {"USE CATALOG @ catalog " + cat},
		k("orchestration-factory", access.Platform, dbx): {"CAN_READ @ folder /Shared/pipelines", "CAN_RESTART @ cluster " + pipelines,
			"dedicated user @ cluster " + pipelines, "workspaceAccess @ workspace entitlement"},

		// Unity Catalog's storage identity: the access connector.
		k("datalake-access-connector", access.Bronze, rbac): {"Storage Blob Data Reader @ container " + st + "/bronze"},
		k("datalake-access-connector", access.Silver, rbac): {"Storage Blob Data Contributor @ container " + st + "/silver"},
		k("datalake-access-connector", access.Gold, rbac):   {"Storage Blob Data Contributor @ container " + st + "/gold"},

		// The deploy identity owns the Unity Catalog objects it creates and administers Synapse SQL.
		k("deploy-identity", access.Bronze, uc): owns("catalog "+cat, "external location "+cat+"_bronze", "schema "+cat+".bronze"),
		k("deploy-identity", access.Silver, uc): owns("catalog "+cat, "external location "+cat+"_silver", "schema "+cat+".silver"),
		k("deploy-identity", access.Gold, uc): append(owns("catalog "+cat, "external location "+cat+"_gold", "schema "+cat+".gold"),
			onGoldTables("OWNER @ %s (creates it)")...),
		k("deploy-identity", access.Platform, uc):  owns("storage credential " + cat + "_lake"),
		k("deploy-identity", access.Platform, sql): {"Synapse SQL Administrator @ Synapse workspace " + syn + " (synapse-roles.sh)"},

		k("admins", access.Platform, rbac):              {"Key Vault Administrator @ key vault " + kv},
		k("admins", access.Platform, sql):               {"Entra SQL admin @ Synapse workspace " + syn},
		k("azure-databricks", access.Platform, rbac):    {"Key Vault Secrets User @ key vault " + kv},
		k("warehouse-workspace", access.Gold, rbac):     {"Storage Blob Data Reader @ container " + st + "/gold"},
		k("warehouse-workspace", access.Platform, rbac): {"Storage Blob Data Contributor @ container " + st + "/synapse"},
	}
}

// TestAccessMatrixIsExact pins the cross-layer matrix of both stacks cell by cell: who can do what to
// bronze, silver, gold and the platform, in Azure RBAC, Unity Catalog, Databricks and Synapse SQL.
func TestAccessMatrixIsExact(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			res := runStack(t, stack)
			m := matrixOf(t, res.Recorder.Resources(), res, synapseSQL(t))
			want := expectedAccess(t, stack)
			for key := range want {
				sort.Strings(want[key])
			}
			require.Equal(t, want, cells(m))
		})
	}
}

// TestPipelineIdentityIsOneAcrossLayers: the identity that runs the notebooks is Data Factory's
// managed identity: Azure knows it by principal id, Databricks (the cluster's single user, the
// workspace service principal, the grants) by its application id; the matrix joins them into one row
// set, so nothing is granted to an application id nobody can name.
func TestPipelineIdentityIsOneAcrossLayers(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			res := runStack(t, stack)
			m := matrixOf(t, res.Recorder.Resources(), res, synapseSQL(t))
			factory := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")
			pid, _ := factory.Out("identity.principalId").(string)
			cluster := ofType(res, "databricks:index/cluster:Cluster")
			require.Len(t, cluster, 1)
			app := cluster[0].InString("singleUserName")
			require.Equal(t, mocks.ClientIDOf(pid), app, "the cluster is dedicated to the factory's application id")
			keys := map[string]access.Principal{}
			for _, p := range m.Principals {
				keys[p.Key] = p
			}
			require.Equal(t, pid, keys["orchestration-factory"].ObjectID)
			require.Contains(t, keys["orchestration-factory"].Names, app)
			require.NotContains(t, keys, app, "no grant goes to the application id as a stranger")
			var external []string
			for _, p := range m.Principals {
				if p.Kind == "external" {
					external = append(external, p.Key)
				}
			}
			// Only the two principals the program does not create are external, named by their assignments.
			require.Equal(t, []string{"admins", "azure-databricks"}, external)
		})
	}
}
