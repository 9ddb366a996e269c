package stacks_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/components"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/offline"
)

// activities returns the pipeline's activities by name.
func activities(t *testing.T, res *offline.Result) map[string]map[string]any {
	t.Helper()
	p := one(t, res, "azure-native:datafactory:Pipeline", "orchestration-pipeline")
	require.Equal(t, components.PipelineName, p.InString("pipelineName"))
	out := map[string]map[string]any{}
	for _, a := range p.In("activities").([]any) {
		m := a.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func dependsOn(a map[string]any) map[string][]any {
	out := map[string][]any{}
	deps, _ := a["dependsOn"].([]any)
	for _, d := range deps {
		dm := d.(map[string]any)
		out[dm["activity"].(string)] = dm["dependencyConditions"].([]any)
	}
	return out
}

// TestPipelineChainAndFailurePath: the success chain is exactly CheckNewFiles -> TransformBronzeToSilver
// -> TransformSilverToGold, each on the previous one's success; a failure (or a skip caused by one)
// records the failed run and then fails the pipeline so PipelineFailedRuns counts it.
func TestPipelineChainAndFailurePath(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			acts := activities(t, runStack(t, stack))
			require.Len(t, acts, 5)
			want := map[string]struct {
				typ  string
				deps map[string][]any
			}{
				"CheckNewFiles":           {"GetMetadata", map[string][]any{}},
				"TransformBronzeToSilver": {"DatabricksNotebook", map[string][]any{"CheckNewFiles": {"Succeeded"}}},
				"TransformSilverToGold":   {"DatabricksNotebook", map[string][]any{"TransformBronzeToSilver": {"Succeeded"}}},
				"RecordFailedRun":         {"SetVariable", map[string][]any{"TransformSilverToGold": {"Failed", "Skipped"}}},
				"FailPipeline":            {"Fail", map[string][]any{"RecordFailedRun": {"Succeeded"}}},
			}
			for name, w := range want {
				require.Contains(t, acts, name)
				require.Equal(t, w.typ, acts[name]["type"], name)
				require.Equal(t, w.deps, dependsOn(acts[name]), name)
			}
			for _, name := range []string{"TransformBronzeToSilver", "TransformSilverToGold"} {
				require.Equal(t, map[string]any{"retry": 1.0, "retryIntervalInSeconds": 300.0, "timeout": "0.12:00:00"}, acts[name]["policy"], name)
			}
			require.Equal(t, []any{"exists", "childItems", "lastModified"}, acts["CheckNewFiles"]["fieldList"])
			require.Equal(t, "CustomerAnalyticsPipelineFailed", acts["FailPipeline"]["errorCode"])
		})
	}
}

// TestPipelineRunsTheDeployedNotebooks: the notebook paths the pipeline runs are exactly the paths the
// Compute component deploys the notebooks to, with the widgets the notebooks declare.
func TestPipelineRunsTheDeployedNotebooks(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			acts := activities(t, res)
			deployed := map[string]bool{}
			for _, nb := range ofType(res, "databricks:index/notebook:Notebook") {
				deployed[nb.InString("path")] = true
			}
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			expr := func(e string) map[string]any { return map[string]any{"type": "Expression", "value": e} }
			common := map[string]any{
				"storage_account": sa.InString("accountName"),
				"pipeline_run_id": expr("@pipeline().RunId"),
				"ingestion_date":  expr("@formatDateTime(pipeline().TriggerTime, 'yyyy-MM-dd')"),
				// The notebooks address gold tables as <catalog>.gold.<table> (Unity Catalog).
				"catalog": "ca_" + stack,
			}
			for activity, nb := range map[string]struct {
				notebook, source, target string
				extra                    map[string]any
			}{
				"TransformBronzeToSilver": {"bronze_to_silver", "bronze", "silver", map[string]any{"quality_threshold": "95"}},
				"TransformSilverToGold":   {"silver_to_gold", "silver", "gold", nil},
			} {
				path := acts[activity]["notebookPath"].(string)
				require.Equal(t, components.PipelinesFolder+"/"+nb.notebook, path)
				require.True(t, deployed[path], "%s runs %s, which Compute deploys", activity, path)
				params := map[string]any{"source_container": nb.source, "target_container": nb.target}
				for k, v := range common {
					params[k] = v
				}
				for k, v := range nb.extra {
					params[k] = v
				}
				require.Equal(t, params, acts[activity]["baseParameters"], activity)
				ls := acts[activity]["linkedServiceName"].(map[string]any)
				require.Equal(t, "Databricks", ls["referenceName"])
			}
		})
	}
}

// TestNotebooksComeFromTheRepository: every notebook and library file is deployed with the committed
// content (so a changed file is a Pulumi diff) under /Shared/pipelines.
func TestNotebooksComeFromTheRepository(t *testing.T) {
	res := runStack(t, "dev")
	root := projectRoot(t)
	decode := func(s string) string {
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		return string(b)
	}
	for _, nb := range ofType(res, "databricks:index/notebook:Notebook") {
		name := strings.TrimPrefix(nb.InString("path"), components.PipelinesFolder+"/")
		raw, err := os.ReadFile(filepath.Join(root, "notebooks", name+".py"))
		require.NoError(t, err)
		require.Equal(t, string(raw), decode(nb.InString("contentBase64")), name)
		require.Equal(t, "PYTHON", nb.InString("language"))
		require.Equal(t, "SOURCE", nb.InString("format"))
	}
	files := ofType(res, "databricks:index/workspaceFile:WorkspaceFile")
	require.NotEmpty(t, files)
	for _, f := range files {
		rel := strings.TrimPrefix(f.InString("path"), components.PipelinesFolder+"/")
		require.True(t, strings.HasPrefix(rel, "analytics_pipeline/"), rel)
		raw, err := os.ReadFile(filepath.Join(root, "notebooks", rel))
		require.NoError(t, err)
		require.Equal(t, string(raw), decode(f.InString("contentBase64")), rel)
	}
}

// TestDatabricksWorkspace: Premium, VNet-injected into the Network's subnets, no public IPs on clusters
// (Azure.Databricks.SecureConnectivity), public UI/API access per config (CKV_AZURE_158 in prod), and an
// explicit provider with both host and azureWorkspaceResourceId.
func TestDatabricksWorkspace(t *testing.T) {
	cases := map[string]struct{ publicAccess, nsgRules string }{
		"dev":  {"Enabled", "AllRules"},
		"prod": {"Disabled", "NoAzureDatabricksRules"},
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ws := one(t, res, "azure-native:databricks:Workspace", "compute-workspace")
			vnet := one(t, res, "azure-native:network:VirtualNetwork", "network-vnet")
			require.Equal(t, "premium", ws.In("sku.name"))
			require.Equal(t, map[string]any{
				"customVirtualNetworkId":  map[string]any{"value": vnet.ID},
				"customPublicSubnetName":  map[string]any{"value": components.SubnetDatabricksHost},
				"customPrivateSubnetName": map[string]any{"value": components.SubnetDatabricksContainer},
				"enableNoPublicIp":        map[string]any{"value": true},
			}, ws.In("parameters"))
			require.Equal(t, cases[stack].publicAccess, ws.In("publicNetworkAccess"))
			require.Equal(t, cases[stack].nsgRules, ws.In("requiredNsgRules"))
			require.Equal(t, "/subscriptions/"+mocks.SubscriptionID+"/resourceGroups/dbw-ca-"+stack+"-weu-managed", ws.In("managedResourceGroupId"))

			provider := one(t, res, "pulumi:providers:databricks", "compute-databricks")
			require.Equal(t, map[string]any{"host": "https://" + ws.Out("workspaceUrl").(string), "azureWorkspaceResourceId": ws.ID, "authType": "azure-cli"},
				mocks.PlainMap(provider.Inputs, false))
		})
	}
}

// TestClusterAndPolicy: autoscaling within config, auto-termination, the configured runtime (the one the
// notebook tests pin), a policy that caps size, forces auto-termination and the dedicated Unity Catalog
// access mode; the cluster is dedicated to the factory's identity and its Spark config holds only the
// Delta default Synapse needs (no credential).
func TestClusterAndPolicy(t *testing.T) {
	workers := map[string][2]float64{"dev": {1, 4}, "prod": {2, 8}}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			policy := one(t, res, "databricks:index/clusterPolicy:ClusterPolicy", "compute-cluster-policy")
			cluster := one(t, res, "databricks:index/cluster:Cluster", "compute-cluster")
			require.Equal(t, map[string]any{"minWorkers": workers[stack][0], "maxWorkers": workers[stack][1]}, cluster.In("autoscale"))
			require.Equal(t, 20.0, cluster.In("autoterminationMinutes"))
			require.Equal(t, "15.4.x-scala2.12", cluster.In("sparkVersion"))
			require.Equal(t, "Standard_DS3_v2", cluster.In("nodeTypeId"))
			require.Equal(t, policy.Out("policyId"), cluster.In("policyId"))
			require.Equal(t, "SINGLE_USER", cluster.In("dataSecurityMode"), "dedicated access mode (lakefs.py needs the py4j gateway)")
			require.Equal(t, factoryApplicationID(t, res), cluster.In("singleUserName"))

			var def map[string]map[string]any
			require.NoError(t, json.Unmarshal([]byte(policy.InString("definition")), &def))
			require.Equal(t, map[string]any{"type": "fixed", "value": "15.4.x-scala2.12"}, def["spark_version"])
			require.Equal(t, 10.0, def["autoscale.max_workers"]["maxValue"], "policy caps workers")
			require.Equal(t, "range", def["autotermination_minutes"]["type"])
			require.Equal(t, 10.0, def["autotermination_minutes"]["minValue"], "auto-termination cannot be switched off")
			require.Equal(t, map[string]any{"type": "fixed", "value": "SINGLE_USER"}, def["data_security_mode"])

			require.Equal(t, map[string]any{"spark.databricks.delta.properties.defaults.enableDeletionVectors": "false"},
				cluster.In("sparkConf"), "no credential: Unity Catalog vends storage access; Synapse reads gold Delta")
			require.Nil(t, cluster.In("sparkEnvVars"))

			scope := one(t, res, "databricks:index/secretScope:SecretScope", "compute-secret-scope")
			vault := one(t, res, "azure-native:keyvault:Vault", "identity-vault")
			require.Equal(t, "AZURE_KEYVAULT", scope.In("backendType"))
			require.Equal(t, map[string]any{"resourceId": vault.ID, "dnsName": vault.Out("properties.vaultUri")}, scope.In("keyvaultMetadata"))
		})
	}
}

// TestWorkspacePermissions: engineers may restart the pipeline cluster (not reconfigure it), use the
// policy and manage the pipelines folder; the factory's identity may restart its cluster and read the
// notebooks; no other principal is listed (analysts get nothing in Databricks).
func TestWorkspacePermissions(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			engineers := one(t, res, "azuread:index/group:Group", "identity-engineers").InString("displayName")
			app := factoryApplicationID(t, res)
			got := map[string][]any{}
			for _, p := range ofType(res, "databricks:index/permissions:Permissions") {
				got[p.Name] = p.In("accessControls").([]any)
			}
			require.Equal(t, map[string][]any{
				"compute-cluster-permissions": {
					map[string]any{"groupName": engineers, "permissionLevel": "CAN_RESTART"},
					map[string]any{"servicePrincipalName": app, "permissionLevel": "CAN_RESTART"},
				},
				"compute-policy-permissions": {map[string]any{"groupName": engineers, "permissionLevel": "CAN_USE"}},
				"compute-folder-permissions": {
					map[string]any{"groupName": engineers, "permissionLevel": "CAN_MANAGE"},
					map[string]any{"servicePrincipalName": app, "permissionLevel": "CAN_READ"},
				},
			}, got)
		})
	}
}

// TestDataFactory: system identity; public access disabled in prod (CKV_AZURE_104) with a managed-VNet
// runtime and managed private endpoints to the lake and the Databricks workspace; linked services authenticate as the
// factory (no keys or tokens); the daily 02:00 UTC trigger.
func TestDataFactory(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			f := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")
			require.Equal(t, map[string]any{"type": "SystemAssigned"}, f.In("identity"))
			public := map[string]string{"dev": "Enabled", "prod": "Disabled"}[stack]
			require.Equal(t, public, f.In("publicNetworkAccess"))

			ls := map[string]map[string]any{}
			for _, l := range ofType(res, "azure-native:datafactory:LinkedService") {
				ls[l.InString("linkedServiceName")] = l.In("properties").(map[string]any)
			}
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			ws := one(t, res, "azure-native:databricks:Workspace", "compute-workspace")
			cluster := one(t, res, "databricks:index/cluster:Cluster", "compute-cluster")
			vault := one(t, res, "azure-native:keyvault:Vault", "identity-vault")
			var via any
			if stack == "prod" {
				via = map[string]any{"referenceName": "ManagedVnetIntegrationRuntime", "type": "IntegrationRuntimeReference"}
			}
			require.Equal(t, "AzureBlobFS", ls["DataLake"]["type"])
			require.Equal(t, "https://"+sa.InString("accountName")+".dfs.core.windows.net", ls["DataLake"]["url"])
			require.Equal(t, via, ls["DataLake"]["connectVia"])
			wantDatabricks := map[string]any{
				"type": "AzureDatabricks", "authentication": "MSI", "domain": "https://" + ws.Out("workspaceUrl").(string),
				"workspaceResourceId": ws.ID, "existingClusterId": cluster.Out("clusterId"),
				"description": "The pipeline cluster, through the factory's managed identity (MSI)",
			}
			if via != nil {
				// prod's workspace UI/API is private: notebook runs go through the managed runtime.
				wantDatabricks["connectVia"] = via
			}
			require.Equal(t, wantDatabricks, ls["Databricks"])
			require.Equal(t, "AzureKeyVault", ls["KeyVault"]["type"])
			require.Nil(t, ls["KeyVault"]["connectVia"], "ADF reads secrets through the referencing linked service's runtime")
			require.Equal(t, vault.Out("properties.vaultUri"), ls["KeyVault"]["baseUrl"])

			ds := one(t, res, "azure-native:datafactory:Dataset", "orchestration-ds-bronze")
			require.Equal(t, map[string]any{"type": "AzureBlobFSLocation", "fileSystem": "bronze", "folderPath": "transactions"}, ds.In("properties.location"))

			tr := one(t, res, "azure-native:datafactory:Trigger", "orchestration-trigger")
			require.Equal(t, map[string]any{
				"frequency": "Day", "interval": 1.0, "startTime": "2026-01-01T02:00:00Z", "timeZone": "UTC",
				"schedule": map[string]any{"hours": []any{2.0}, "minutes": []any{0.0}},
			}, tr.In("properties.recurrence"))
			require.Equal(t, []any{map[string]any{"pipelineReference": map[string]any{"referenceName": "CustomerAnalyticsPipeline", "type": "PipelineReference"}}},
				tr.In("properties.pipelines"))

			runtimes := ofType(res, "azure-native:datafactory:IntegrationRuntime")
			endpoints := ofType(res, "azure-native:datafactory:ManagedPrivateEndpoint")
			if stack == "dev" {
				require.Empty(t, runtimes)
				require.Empty(t, endpoints)
				return
			}
			require.Len(t, runtimes, 1)
			require.Equal(t, map[string]any{"type": "Managed", "description": "Azure integration runtime inside the factory's managed virtual network",
				"managedVirtualNetwork": map[string]any{"referenceName": "default", "type": "ManagedVirtualNetworkReference"},
				"computeProperties":     map[string]any{"location": "AutoResolve"}}, runtimes[0].In("properties"))
			targets := map[string]any{}
			for _, e := range endpoints {
				targets[e.In("properties.groupId").(string)] = e.In("properties.privateLinkResourceId")
			}
			require.Equal(t, map[string]any{"dfs": sa.ID, "databricks_ui_api": ws.ID}, targets, "no vault endpoint: no linked service reads a secret")
			mvnet := one(t, res, "azure-native:resources:Deployment", "orchestration-managed-vnet")
			require.Equal(t, "Microsoft.DataFactory/factories/managedVirtualNetworks",
				mvnet.In("properties.template").(map[string]any)["resources"].([]any)[0].(map[string]any)["type"])
		})
	}
}

// TestAlerts: failed runs (PipelineFailedRuns > 0), long runs and falling data quality alert the
// action group.
func TestAlerts(t *testing.T) {
	res := runStack(t, "prod")
	ag := one(t, res, "azure-native:insights:ActionGroup", "observability-action-group")
	ws := one(t, res, "azure-native:operationalinsights:Workspace", "observability-logs")
	factory := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")

	failed := one(t, res, "azure-native:insights:MetricAlert", "orchestration-failed-runs-alert")
	require.Equal(t, []any{factory.ID}, failed.In("scopes"))
	require.Equal(t, []any{map[string]any{"actionGroupId": ag.ID}}, failed.In("actions"))
	criteria := failed.In("criteria.allOf").([]any)[0].(map[string]any)
	require.Equal(t, "PipelineFailedRuns", criteria["metricName"])
	require.Equal(t, "GreaterThan", criteria["operator"])
	require.Equal(t, 0.0, criteria["threshold"])
	require.Equal(t, "Total", criteria["timeAggregation"])

	for name, wantInQuery := range map[string][]string{
		"orchestration-duration-ceiling-alert": {"ADFPipelineRun", "CustomerAnalyticsPipeline", "> 120"},
		"orchestration-quality-alert":          {"ADFActivityRun", "TransformBronzeToSilver", "metrics.quality_rate", "< 98"},
	} {
		rule := one(t, res, "azure-native:insights:ScheduledQueryRule", name)
		require.Equal(t, []any{ws.ID}, rule.In("scopes"))
		require.Equal(t, []any{ag.ID}, rule.In("actions.actionGroups"))
		query := rule.In("criteria.allOf").([]any)[0].(map[string]any)["query"].(string)
		for _, w := range wantInQuery {
			require.Contains(t, query, w, name)
		}
	}
	diag := one(t, res, "azure-native:insights:DiagnosticSetting", "orchestration-factory-diagnostics")
	require.Equal(t, "Dedicated", diag.In("logAnalyticsDestinationType"), "the alerts query resource-specific tables")
}

// TestSynapse: Entra-only auth with the admins group as SQL admin; prod: managed VNet, exfiltration
// protection, no public access (CKV_AZURE_58/157); dev: firewall rules exactly the allow-list, never
// allow-all; Spark pool 3-5 nodes pausing after 15 minutes; no dedicated pool by default; the lake's
// firewall trusts exactly this workspace.
func TestSynapse(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ws := one(t, res, "azure-native:synapse:Workspace", "warehouse-workspace")
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			require.Equal(t, true, ws.In("azureADOnlyAuthentication"))
			require.Nil(t, ws.In("sqlAdministratorLogin"))
			require.Equal(t, map[string]any{"type": "SystemAssigned"}, ws.In("identity"))
			require.Equal(t, adminsObjectID(t, stack), ws.In("cspWorkspaceAdminProperties.initialWorkspaceAdminObjectId"))
			require.Equal(t, map[string]any{"accountUrl": "https://" + sa.InString("accountName") + ".dfs.core.windows.net", "filesystem": "synapse", "resourceId": sa.ID,
				"createManagedPrivateEndpoint": stack == "prod"}, ws.In("defaultDataLakeStorage"))

			admin := one(t, res, "azure-native:synapse:WorkspaceAadAdmin", "warehouse-sql-admin")
			require.Equal(t, adminsObjectID(t, stack), admin.In("sid"))
			require.Equal(t, "customer-analytics-"+stack+"-platform-admins", admin.In("login"))

			rules := ofType(res, "azure-native:synapse:IpFirewallRule")
			if stack == "prod" {
				require.Equal(t, "default", ws.In("managedVirtualNetwork"))
				require.Equal(t, map[string]any{"preventDataExfiltration": true, "allowedAadTenantIdsForLinking": []any{mocks.TenantID}},
					ws.In("managedVirtualNetworkSettings"))
				require.Equal(t, "Disabled", ws.In("publicNetworkAccess"))
				require.Empty(t, rules)
			} else {
				require.Nil(t, ws.In("managedVirtualNetwork"))
				require.Equal(t, "Enabled", ws.In("publicNetworkAccess"))
				require.Len(t, rules, 1)
				require.Equal(t, "203.0.113.0", rules[0].In("startIpAddress"))
				require.Equal(t, "203.0.113.255", rules[0].In("endIpAddress"))
			}

			pool := one(t, res, "azure-native:synapse:BigDataPool", "warehouse-spark")
			require.Equal(t, map[string]any{"enabled": true, "minNodeCount": 3.0, "maxNodeCount": 5.0}, pool.In("autoScale"))
			require.Equal(t, map[string]any{"enabled": true, "delayInMinutes": 15.0}, pool.In("autoPause"))
			require.Empty(t, ofType(res, "azure-native:synapse:SqlPool"), "no dedicated pool unless configured")

			connector := one(t, res, "azure-native:databricks:AccessConnector", "datalake-access-connector")
			require.Equal(t, []any{
				map[string]any{"resourceId": connector.ID, "tenantId": mocks.TenantID},
				map[string]any{"resourceId": ws.ID, "tenantId": mocks.TenantID},
			}, sa.In("networkRuleSet.resourceAccessRules"), "the lake's firewall trusts exactly Unity Catalog's access connector and the Synapse workspace")
		})
	}
}

// TestDedicatedSQLPoolIsOptIn: turning the pool on adds exactly one dedicated pool of the configured size.
func TestDedicatedSQLPoolIsOptIn(t *testing.T) {
	cfg := stackConfig(t, "dev").With("customer-analytics:warehouse", `{"dedicatedSqlPool":true,"dedicatedSqlPoolSku":"DW200c"}`)
	res, err := offline.Run(projectRoot(t), "customer-analytics", "dev", cfg)
	require.NoError(t, err)
	pool := one(t, res, "azure-native:synapse:SqlPool", "warehouse-dedicated-pool")
	require.Equal(t, map[string]any{"name": "DW200c"}, pool.In("sku"))
	require.Equal(t, "Default", pool.In("createMode"))
}

// TestPrivateWorkspaceAPIIsReadyFirst: in prod the Databricks API is only reachable through the
// workspace's private endpoint, so every object created through the Databricks provider waits for the
// endpoint and its DNS record.
func TestPrivateWorkspaceAPIIsReadyFirst(t *testing.T) {
	res := runStack(t, "prod")
	pe := one(t, res, "azure-native:network:PrivateEndpoint", "compute-workspace-pe")
	dns := one(t, res, "azure-native:network:PrivateDnsZoneGroup", "compute-workspace-pe-dns")
	n := 0
	for _, r := range res.Recorder.Resources() {
		if !strings.HasPrefix(r.Type, "databricks:index/") {
			continue
		}
		n++
		require.Contains(t, r.DependsOn, pe.URN, r.Name)
		require.Contains(t, r.DependsOn, dns.URN, r.Name)
	}
	require.Positive(t, n)
}
