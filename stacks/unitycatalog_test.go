package stacks_test

import (
	"encoding/base64"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/goldcontract"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
	"github.com/customer-analytics/platform/offline"
)

// factoryApplicationID is the application id the program looked up for the factory's managed identity:
// the mocks derive it from the factory's principal id, so the test also proves the lookup's input.
func factoryApplicationID(t *testing.T, res *offline.Result) string {
	t.Helper()
	factory := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")
	principal, ok := factory.Out("identity.principalId").(string)
	require.True(t, ok && principal != "", "the factory has a system-assigned identity")
	return mocks.ClientIDOf(principal)
}

// lake is the stack's storage account name.
func lake(t *testing.T, res *offline.Result) string {
	return one(t, res, "azure-native:storage:StorageAccount", "datalake-account").InString("accountName")
}

func layerURL(account, layer, path string) string {
	return "abfss://" + layer + "@" + account + ".dfs.core.windows.net/" + path
}

// TestAccessConnector (issue 11, item 1): the access connector has a system-assigned identity that holds
// exactly read on bronze and write on silver and gold, each scoped to its container, and the lake's
// firewall lets it through (resource instance rule, trusted services).
func TestAccessConnector(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			connector := one(t, res, "azure-native:databricks:AccessConnector", "datalake-access-connector")
			require.Equal(t, map[string]any{
				"connectorName": "dbac-ca-" + stack + "-weu", "resourceGroupName": "rg-ca-" + stack + "-weu", "location": "westeurope",
				"identity": map[string]any{"type": "SystemAssigned"}, "tags": connector.In("tags"),
			}, mocks.PlainMap(connector.Inputs, false))
			principal := connector.Out("identity.principalId").(string)
			containers := map[string]string{}
			for _, c := range []string{"bronze", "silver", "gold"} {
				containers[one(t, res, "azure-native:storage:BlobContainer", "datalake-"+c).ID] = c
			}
			got := map[string]string{}
			for _, a := range ofType(res, "azure-native:authorization:RoleAssignment") {
				if a.InString("principalId") != principal {
					continue
				}
				require.Equal(t, "ServicePrincipal", a.In("principalType"))
				layer, ok := containers[a.InString("scope")]
				require.True(t, ok, "%s: scoped to a medallion container, not %s", a.Name, a.InString("scope"))
				got[layer] = a.InString("roleDefinitionId")
			}
			def := func(r roles.Role) string { return r.DefinitionID(mocks.SubscriptionID) }
			require.Equal(t, map[string]string{
				"bronze": def(roles.StorageBlobDataReader), "silver": def(roles.StorageBlobDataContributor), "gold": def(roles.StorageBlobDataContributor),
			}, got)

			account := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			require.Equal(t, "AzureServices", account.In("networkRuleSet.bypass"))
			require.Contains(t, account.In("networkRuleSet.resourceAccessRules"),
				map[string]any{"resourceId": connector.ID, "tenantId": mocks.TenantID})
		})
	}
}

// TestUnityCatalogObjects (issue 11, item 2): a storage credential for the connector, one external
// location per medallion container, the environment's catalog (managed storage under silver), schemas
// bronze/silver/gold and the gold contract's tables as external Delta tables at the folders Synapse reads,
// with the contract's columns and Delta reader settings.
func TestUnityCatalogObjects(t *testing.T) {
	contract, err := goldcontract.Load(filepath.Join(projectRoot(t), "notebooks", "analytics_pipeline", "gold_contract.json"))
	require.NoError(t, err)
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			account, catalog := lake(t, res), "ca_"+stack
			connector := one(t, res, "azure-native:databricks:AccessConnector", "datalake-access-connector")
			cred := one(t, res, "databricks:index/storageCredential:StorageCredential", "catalog-storage-credential")
			require.Equal(t, map[string]any{
				"name": catalog + "_lake", "comment": "The lake's access connector (managed identity, no secret)",
				"azureManagedIdentity": map[string]any{"accessConnectorId": connector.ID}, "isolationMode": "ISOLATION_MODE_ISOLATED",
			}, mocks.PlainMap(cred.Inputs, false))
			for _, layer := range []string{"bronze", "silver", "gold"} {
				loc := one(t, res, "databricks:index/externalLocation:ExternalLocation", "catalog-location-"+layer)
				require.Equal(t, map[string]any{
					"name": catalog + "_" + layer, "url": layerURL(account, layer, ""), "credentialName": catalog + "_lake",
					"comment": "The " + layer + " container", "isolationMode": "ISOLATION_MODE_ISOLATED",
				}, mocks.PlainMap(loc.Inputs, false))
				schema := one(t, res, "databricks:index/schema:Schema", "catalog-schema-"+layer)
				require.Equal(t, map[string]any{"catalogName": catalog, "name": layer, "comment": "The " + layer + " layer"},
					mocks.PlainMap(schema.Inputs, false))
			}
			cat := one(t, res, "databricks:index/catalog:Catalog", "catalog-catalog")
			require.Equal(t, map[string]any{
				"name": catalog, "comment": "Customer analytics medallion lake", "isolationMode": "ISOLATED",
				"storageRoot": layerURL(account, "silver", "unity_catalog"),
			}, mocks.PlainMap(cat.Inputs, false))

			tables := ofType(res, "databricks:index/sqlTable:SqlTable")
			require.Len(t, tables, len(contract.Tables))
			for _, want := range contract.Tables {
				tbl := one(t, res, "databricks:index/sqlTable:SqlTable", "catalog-table-"+strings.ReplaceAll(want.Name, "_", "-"))
				var cols []any
				for _, c := range want.Columns {
					cols = append(cols, map[string]any{"name": c.Name, "type": c.Type, "nullable": c.Nullable, "comment": c.Description})
				}
				require.Equal(t, map[string]any{
					"catalogName": catalog, "schemaName": "gold", "name": want.Name, "tableType": "EXTERNAL", "dataSourceFormat": "DELTA",
					// The folder Synapse serverless reads (synapse/030_gold_tables.sql: LOCATION = '<table>' on GoldLake).
					"storageLocation": layerURL(account, "gold", want.Name),
					"columns":         cols, "comment": want.Description,
					"properties": map[string]any{
						"delta.enableDeletionVectors": "false", "delta.checkpointPolicy": "classic", "delta.columnMapping.mode": "none",
						"delta.minReaderVersion": "1", "delta.minWriterVersion": "2",
					},
				}, mocks.PlainMap(tbl.Inputs, false), want.Name)
			}
		})
	}
}

// TestUnityCatalogGrants (issues 11, items 3 and 4): one Grants per securable, and exactly these
// principals and privileges: analysts USE CATALOG, USE SCHEMA on gold and SELECT on the gold tables;
// engineers work on all three layers; the factory's identity (the one that runs the notebooks) reads
// bronze files, reads and writes silver files and writes the gold tables, nothing more.
func TestUnityCatalogGrants(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			catalog := "ca_" + stack
			eng := one(t, res, "azuread:index/group:Group", "identity-engineers").InString("displayName")
			ana := one(t, res, "azuread:index/group:Group", "identity-analysts").InString("displayName")
			adf := factoryApplicationID(t, res)
			work := []string{"USE_SCHEMA", "CREATE_TABLE", "SELECT", "MODIFY"}
			files := []string{"READ_FILES", "WRITE_FILES", "CREATE_EXTERNAL_TABLE"}
			want := map[string]map[string][]string{
				"catalog=" + catalog:                      {eng: {"USE_CATALOG"}, ana: {"USE_CATALOG"}, adf: {"USE_CATALOG"}},
				"schema=" + catalog + ".bronze":           {eng: work},
				"schema=" + catalog + ".silver":           {eng: work},
				"schema=" + catalog + ".gold":             {eng: work, ana: {"USE_SCHEMA"}, adf: {"USE_SCHEMA"}},
				"externalLocation=" + catalog + "_bronze": {eng: files, adf: {"READ_FILES"}},
				"externalLocation=" + catalog + "_silver": {eng: files, adf: {"READ_FILES", "WRITE_FILES"}},
				"externalLocation=" + catalog + "_gold":   {eng: files},
			}
			for _, tbl := range []string{"customer_segmentation", "daily_sales_summary", "product_category_performance", "store_performance"} {
				want["table="+catalog+".gold."+tbl] = map[string][]string{ana: {"SELECT"}, adf: {"MODIFY", "SELECT"}}
			}
			got := map[string]map[string][]string{}
			securable := regexp.MustCompile(`^(catalog|schema|externalLocation|table|storageCredential)$`)
			for _, g := range ofType(res, "databricks:index/grants:Grants") {
				in := mocks.PlainMap(g.Inputs, false)
				var key string
				for k, v := range in {
					if securable.MatchString(k) {
						require.Empty(t, key, "%s: one securable per Grants", g.Name)
						key = k + "=" + v.(string)
					}
				}
				require.NotContains(t, got, key, "one Grants per securable")
				got[key] = map[string][]string{}
				for _, e := range in["grants"].([]any) {
					entry := e.(map[string]any)
					var privs []string
					for _, p := range entry["privileges"].([]any) {
						privs = append(privs, p.(string))
					}
					got[key][entry["principal"].(string)] = privs
				}
			}
			require.Equal(t, want, got)
		})
	}
}

// TestNotebooksRunAsTheFactoryIdentity (issue 11, item 4): Data Factory runs the notebooks with its
// managed identity (MSI linked service) on the pipeline cluster; that identity is registered in the
// workspace by the application id looked up from the factory's principal id, the cluster is dedicated
// to it, the notebook activities name the catalog, and the engineers and analysts account groups are
// assigned to the workspace by name (no workspace-local group).
func TestNotebooksRunAsTheFactoryIdentity(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			factory := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")
			app := factoryApplicationID(t, res)
			var lookups []string
			for _, c := range res.Recorder.Calls() {
				if c.Token == "azuread:index/getServicePrincipal:getServicePrincipal" {
					if v, ok := c.Args["objectId"]; ok {
						lookups = append(lookups, v.StringValue())
					}
				}
			}
			require.Equal(t, []string{factory.Out("identity.principalId").(string)}, lookups, "looked up by the factory's principal id")

			sp := one(t, res, "databricks:index/servicePrincipal:ServicePrincipal", "compute-pipeline-sp")
			require.Equal(t, map[string]any{
				"applicationId": app, "displayName": factory.InString("factoryName"), "workspaceAccess": true, "allowClusterCreate": false, "force": true,
			}, mocks.PlainMap(sp.Inputs, false))
			cluster := one(t, res, "databricks:index/cluster:Cluster", "compute-cluster")
			require.Equal(t, app, cluster.In("singleUserName"))
			require.Contains(t, cluster.ExplicitDependsOn(), sp.URN, "the cluster's single user exists first")

			ls := one(t, res, "azure-native:datafactory:LinkedService", "orchestration-ls-databricks")
			require.Equal(t, "MSI", ls.In("properties.authentication"), "the factory's managed identity")
			require.Equal(t, cluster.Out("clusterId"), ls.In("properties.existingClusterId"))
			acts := activities(t, res)
			for _, a := range []string{"TransformBronzeToSilver", "TransformSilverToGold"} {
				require.Equal(t, "ca_"+stack, acts[a]["baseParameters"].(map[string]any)["catalog"], a)
			}

			assigned := map[string]any{}
			for _, a := range ofType(res, "databricks:index/permissionAssignment:PermissionAssignment") {
				assigned[a.InString("groupName")] = a.In("permissions")
			}
			require.Equal(t, map[string]any{
				one(t, res, "azuread:index/group:Group", "identity-engineers").InString("displayName"): []any{"USER"},
				one(t, res, "azuread:index/group:Group", "identity-analysts").InString("displayName"):  []any{"USER"},
			}, assigned)
			require.Empty(t, ofType(res, "databricks:index/group:Group"), "no workspace-local group")
		})
	}
}

// lakeSecret matches what would put a storage credential on a cluster or in a notebook: a secret-scope
// reference, an ABFS credential key, or a client secret.
var lakeSecret = regexp.MustCompile(`(?i)\{\{secrets/|fs\.azure\.account\.(auth|oauth|key)|client[._-]?secret|dbutils\.secrets`)

// TestNoSecretsInWorkspace (issue 11, item 4/5): no cluster Spark config, cluster environment variable,
// notebook or workspace file in either stack holds a secret, a secret reference or an fs.azure credential
// key, and no Entra password or Key Vault secret exists for lake access any more.
func TestNoSecretsInWorkspace(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			walked := 0
			check := func(where, text string) {
				walked++
				require.NotRegexp(t, lakeSecret, text, where)
			}
			for _, c := range ofType(res, "databricks:index/cluster:Cluster") {
				for _, field := range []string{"sparkConf", "sparkEnvVars"} {
					if m, ok := c.In(field).(map[string]any); ok {
						for k, v := range m {
							check(c.Name+" "+field+" "+k, k+"="+flatten(v))
						}
					}
				}
			}
			for _, typ := range []string{"databricks:index/notebook:Notebook", "databricks:index/workspaceFile:WorkspaceFile"} {
				for _, r := range ofType(res, typ) {
					raw, err := base64.StdEncoding.DecodeString(r.InString("contentBase64"))
					require.NoError(t, err)
					check(r.InString("path"), string(raw))
				}
			}
			require.Greater(t, walked, 10, "walked the cluster config, notebooks and files")
			for _, r := range res.Recorder.Resources() {
				for k, v := range r.Inputs {
					require.False(t, v.ContainsSecrets(), "%s input %s is a secret: nothing in the stack needs one", r.URN, k)
				}
			}
			require.Empty(t, ofType(res, "azuread:index/applicationPassword:ApplicationPassword"))
			require.Empty(t, ofType(res, "azure-native:keyvault:Secret"))
		})
	}
}
