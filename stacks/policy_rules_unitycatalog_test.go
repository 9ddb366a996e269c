package stacks_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
)

// unityCatalogCases break the prod baseline once per Unity Catalog rule (see
// TestEveryRuleCatchesItsViolation); TestUnityCatalogRulesCatchEachWay breaks each in more ways.
var unityCatalogCases = map[string]mutation{
	"CA.Deploy.AccessConnectorFirewall":    set("datalake-account", "networkRuleSet.resourceAccessRules", []any{}),
	"CA.Deploy.AccountGroupsByName":        addResource("databricks:index/group:Group", "compute-engineers-group", map[string]any{"displayName": "e"}),
	"CA.Deploy.WorkspaceLevelUnityCatalog": addResource("databricks:index/metastoreAssignment:MetastoreAssignment", "compute-metastore", map[string]any{"metastoreId": "m"}),
	"CA.Deploy.GoldTablesSynapseReadable":  set("catalog-table-daily-sales-summary", "properties", map[string]any{"delta.minReaderVersion": "3", "delta.enableDeletionVectors": "true"}),
	"CA.Databricks.NoClusterSecrets":       set("compute-cluster", "sparkConf", map[string]any{"fs.azure.account.oauth2.client.secret.x.dfs.core.windows.net": "{{secrets/keyvault/s}}"}),
}

// addResource appends a resource of a type to the baseline.
func addResource(typ, name string, inputs map[string]any) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		return append(rs, mocks.Resource{URN: "urn:test:" + name, Type: typ, Name: name, Custom: true, ID: "/x/" + name,
			Inputs: resource.NewPropertyMapFromMap(inputs)})
	}
}

// addVaultSecret stores a Key Vault secret without an expiry.
func addVaultSecret(t *testing.T, rs []mocks.Resource) []mocks.Resource {
	return addResource("azure-native:keyvault:Secret", "identity-app-secret", map[string]any{
		"secretName": "app-secret", "properties": map[string]any{"value": "x"},
	})(t, rs)
}

// withoutDependsOn forgets the named resource's explicit dependencies.
func withoutDependsOn(name string) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		for i, r := range rs {
			if r.Name == name {
				require.NotEmpty(t, r.Options.DependsOn)
				rs[i].Options.DependsOn = nil
				return rs
			}
		}
		t.Fatalf("no resource %s", name)
		return nil
	}
}

// TestUnityCatalogRulesCatchEachWay breaks the clean prod baseline in each way a Unity Catalog rule looks
// at, and requires the named finding.
func TestUnityCatalogRulesCatchEachWay(t *testing.T) {
	cases := []struct {
		rule, name string
		mutate     mutation
		finding    string
	}{
		{"CA.Deploy.AccessConnectorFirewall", "no resource instance rule", set("datalake-account", "networkRuleSet.resourceAccessRules", []any{}),
			"no resource instance rule for AccessConnector dbac-ca-prod-weu"},
		{"CA.Deploy.AccessConnectorFirewall", "no trusted services", set("datalake-account", "networkRuleSet.bypass", "None"),
			"does not let trusted Azure services through"},
		{"CA.Deploy.AccountGroupsByName", "workspace-local group", unityCatalogCases["CA.Deploy.AccountGroupsByName"],
			`compute-engineers-group: workspace-local group "e"`},
		{"CA.Deploy.AccountGroupsByName", "analysts not assigned", drop("compute-analysts-assignment"),
			`catalog-grants-catalog: "customer-analytics-prod-data-analysts" is neither an account group assigned to the workspace`},
		{"CA.Deploy.AccountGroupsByName", "grant before the assignment", withoutDependsOn("catalog-grants-schema-bronze"),
			"catalog-grants-schema-bronze: does not wait for compute-engineers-assignment"},
		{"CA.Deploy.AccountGroupsByName", "cluster user not registered", func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return drop("compute-folder-permissions")(t, drop("compute-cluster-permissions")(t, drop("compute-pipeline-sp")(t, withoutGrants(rs))))
		}, "compute-cluster: "},
		{"CA.Deploy.WorkspaceLevelUnityCatalog", "metastore assignment", unityCatalogCases["CA.Deploy.WorkspaceLevelUnityCatalog"],
			"compute-metastore: databricks:index/metastoreAssignment:MetastoreAssignment needs an account-level provider"},
		{"CA.Deploy.GoldTablesSynapseReadable", "deletion vectors", set("catalog-table-store-performance", "properties",
			map[string]any{"delta.minReaderVersion": "1", "delta.enableDeletionVectors": "true"}), `table store_performance: delta.enableDeletionVectors is "true"`},
		{"CA.Databricks.NoClusterSecrets", "secret reference", unityCatalogCases["CA.Databricks.NoClusterSecrets"],
			"sparkConf fs.azure.account.oauth2.client.secret.x.dfs.core.windows.net holds a credential"},
		{"CA.Databricks.NoClusterSecrets", "environment", set("compute-cluster", "sparkEnvVars", map[string]any{"LAKE_KEY": "{{secrets/keyvault/k}}"}),
			"sparkEnvVars LAKE_KEY holds a credential"},
		{"CA.Databricks.NoClusterSecrets", "no isolation", set("compute-cluster", "dataSecurityMode", "NONE"), "access mode NONE is not a Unity Catalog mode"},
		{"CA.Databricks.NoClusterSecrets", "dedicated to nobody", set("compute-cluster", "singleUserName", nil), "dedicated without a single user"},
		{"CKV_AZURE_41", "secret without expiry", addVaultSecret, "identity-app-secret: properties.attributes.expires is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			requireFinding(t, tc.mutate(t, prodResources(t)), tc.rule, tc.finding)
		})
	}
}

// withoutGrants drops every Grants (to isolate the cluster's own finding).
func withoutGrants(rs []mocks.Resource) []mocks.Resource {
	var out []mocks.Resource
	for _, r := range rs {
		if r.Type != "databricks:index/grants:Grants" {
			out = append(out, r)
		}
	}
	return out
}
