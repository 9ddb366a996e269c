package stacks_test

import (
	"fmt"
	"path/filepath"
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
