package stacks_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/components"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/offline"
	"github.com/customer-analytics/platform/stacks"
)

// runAt runs the program for a stack config at a fixed time (the budget's start, the Synapse runtimes'
// end of support) and returns what it recorded.
func runAt(t *testing.T, stack string, cfg offline.StackConfig, now time.Time) (*mocks.Recorder, error) {
	t.Helper()
	rec := mocks.New("customer-analytics", stack)
	withConfig := func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.SecretKeys
	}
	err := pulumi.RunErr(stacks.Program(stacks.Options{ConfigKeys: cfg.Keys(), ProjectDir: projectRoot(t), Now: now}), rec.Option(), withConfig)
	return rec, err
}

func recorded(t *testing.T, rec *mocks.Recorder, typ, name string) mocks.Resource {
	t.Helper()
	for _, r := range rec.Resources() {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %s", typ, name)
	return mocks.Resource{}
}

// TestLogAlertsSkipQueryValidation (issue 9, item 2): the ADF alerts (duration, data quality) query
// tables that appear only after the factory's first logs, so the alert API must not validate them at
// creation. Found by their queries, so a renamed or added ADF alert is held to the same rule.
func TestLogAlertsSkipQueryValidation(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			seen := map[string]bool{}
			for _, rule := range ofType(runStack(t, stack), "azure-native:insights:ScheduledQueryRule") {
				query := rule.In("criteria.allOf").([]any)[0].(map[string]any)["query"].(string)
				for _, table := range []string{"ADFPipelineRun", "ADFActivityRun"} {
					if strings.HasPrefix(query, table) {
						seen[table] = true
						require.Equal(t, true, rule.In("skipQueryValidation"), rule.Name)
						require.Equal(t, "LogAlert", rule.In("kind"), rule.Name)
					}
				}
			}
			require.Equal(t, map[string]bool{"ADFPipelineRun": true, "ADFActivityRun": true}, seen, "the duration and data-quality alerts exist")
		})
	}
}

// TestSynapseSparkRuntime (item 3): the pool asks for the GA runtime 3.5; 3.4 was accepted before its
// end of support (2026-03-31) and is rejected after it, naming the key and what is allowed.
func TestSynapseSparkRuntime(t *testing.T) {
	for _, stack := range stacksUnderTest {
		pool := one(t, runStack(t, stack), "azure-native:synapse:BigDataPool", "warehouse-spark")
		require.Equal(t, "3.5", pool.In("sparkVersion"), stack)
	}
	cfg := stackConfig(t, "dev").With(stacks.Key("warehouse"), `{"dedicatedSqlPool":false,"dedicatedSqlPoolSku":"DW100c","sparkVersion":"3.4"}`)
	rec, err := runAt(t, "dev", cfg, time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC))
	require.NoError(t, err, "3.4 is still supported on its last day")
	require.Equal(t, "3.4", recorded(t, rec, "azure-native:synapse:BigDataPool", "warehouse-spark").In("sparkVersion"))

	rec, err = runAt(t, "dev", cfg, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	require.ErrorContains(t, err, "config customer-analytics:warehouse.sparkVersion: runtime 3.4 reached end of support on 2026-03-31 (allowed: 3.5")
	require.Empty(t, rec.Resources())
}

// TestPrivateFactoryReachesDatabricks (item 4): prod's factory reaches the private workspace through a
// managed private endpoint (databricks_ui_api) from the managed runtime. The unused endpoint to the
// vault is gone (no linked service reads a secret; Key Vault is reached through the referencing linked
// service's runtime). Dev has neither (public endpoints, default runtime).
func TestPrivateFactoryReachesDatabricks(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ws := one(t, res, "azure-native:databricks:Workspace", "compute-workspace")
			ls := one(t, res, "azure-native:datafactory:LinkedService", "orchestration-ls-databricks")
			kv := one(t, res, "azure-native:datafactory:LinkedService", "orchestration-ls-keyvault")
			require.Nil(t, kv.In("properties.connectVia"), "the Key Vault linked service has no runtime of its own")
			for _, e := range ofType(res, "azure-native:datafactory:ManagedPrivateEndpoint") {
				require.NotEqual(t, "vault", e.In("properties.groupId"), "no unused endpoint to the vault")
			}
			if stack == "dev" {
				require.Nil(t, ls.In("properties.connectVia"))
				return
			}
			mpe := one(t, res, "azure-native:datafactory:ManagedPrivateEndpoint", "orchestration-mpe-databricks")
			require.Equal(t, "databricks", mpe.In("managedPrivateEndpointName"))
			require.Equal(t, "default", mpe.In("managedVirtualNetworkName"))
			require.Equal(t, map[string]any{"privateLinkResourceId": ws.ID, "groupId": "databricks_ui_api"}, mpe.In("properties"))
			via := map[string]any{"referenceName": "ManagedVnetIntegrationRuntime", "type": "IntegrationRuntimeReference"}
			require.Equal(t, via, ls.In("properties.connectVia"))
			require.Contains(t, ls.ExplicitDependsOn(), mpe.URN, "the linked service waits for its endpoint")
		})
	}
}

// TestBudgetStartsInTheMonthOfTheFirstDeploy (item 5): a stack first deployed in any month gets a
// budget starting on the first of that UTC month, and no later `up` sends a different date to Azure
// (ignoreChanges); a pinned startDate in config is rejected.
func TestBudgetStartsInTheMonthOfTheFirstDeploy(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2027, 3, 15, 10, 0, 0, 0, time.UTC),
		time.Date(2028, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 0, 0, time.FixedZone("UTC-5", -5*3600)), // 2027-01-01 in UTC
	} {
		for _, stack := range stacksUnderTest {
			rec, err := runAt(t, stack, stackConfig(t, stack), now)
			require.NoError(t, err)
			b := recorded(t, rec, "azure-native:consumption:Budget", "observability-budget")
			require.Equal(t, now.UTC().Format("2006-01")+"-01T00:00:00Z", b.In("timePeriod.startDate"), "%s at %s", stack, now)
			require.Equal(t, []string{"timePeriod.startDate"}, b.Options.IgnoreChanges, stack)
		}
	}
	_, err := runAt(t, "dev", stackConfig(t, "dev").With(stacks.Key("budget"), `{"amount":500,"startDate":"2026-12-01"}`), time.Now())
	require.ErrorContains(t, err, "config customer-analytics:budget.startDate: is no longer configured")
}

// TestRefreshIsANoOp (item 6): what Azure never returns, or changes behind the program's back, is not
// sent or not diffed, exactly: the vault's access policies, the ARM deployments' templates; the blob
// delete retention policy is sent as Azure returns it.
func TestRefreshIsANoOp(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			vault := one(t, res, "azure-native:keyvault:Vault", "identity-vault")
			require.Nil(t, vault.In("properties.accessPolicies"))
			require.Equal(t, components.VaultIgnoredInputs, vault.Options.IgnoreChanges)
			require.Equal(t, []string{"properties.accessPolicies"}, vault.Options.IgnoreChanges)

			deployments := ofType(res, "azure-native:resources:Deployment")
			want := map[string]bool{"warehouse-sql-auditing": true}
			if stack == "prod" {
				want["orchestration-managed-vnet"] = true
			}
			got := map[string]bool{}
			for _, d := range deployments {
				got[d.Name] = true
				require.Equal(t, []string{"properties.template"}, d.Options.IgnoreChanges, d.Name)
			}
			require.Equal(t, want, got)

			bs := one(t, res, "azure-native:storage:BlobServiceProperties", "datalake-blob-service")
			require.Equal(t, false, bs.In("deleteRetentionPolicy.allowPermanentDelete"))
		})
	}
}

// TestDatabricksProviderUsesTheRenewableSession (item 8): the provider authenticates through the Azure
// CLI session the deploy job refreshes, never through auto-detection.
func TestDatabricksProviderUsesTheRenewableSession(t *testing.T) {
	for _, stack := range stacksUnderTest {
		p := one(t, runStack(t, stack), "pulumi:providers:databricks", "compute-databricks")
		require.Equal(t, "azure-cli", p.In("authType"), stack)
	}
}

// TestSynapseSQLAuditing (item 10, CKV2_AZURE_53): the workspace's extended auditing settings send SQL
// audit events to Azure Monitor and its diagnostic setting ships SQLSecurityAuditEvents to Log
// Analytics.
func TestSynapseSQLAuditing(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			ws := one(t, res, "azure-native:synapse:Workspace", "warehouse-workspace")
			logs := one(t, res, "azure-native:operationalinsights:Workspace", "observability-logs")
			d := one(t, res, "azure-native:resources:Deployment", "warehouse-sql-auditing")
			require.Equal(t, ws.InString("workspaceName")+"-sql-auditing", d.In("deploymentName"))
			require.Equal(t, "Incremental", d.In("properties.mode"))
			require.Equal(t, []any{map[string]any{
				"type": "Microsoft.Synapse/workspaces/extendedAuditingSettings", "apiVersion": "2021-06-01",
				"name":       ws.InString("workspaceName") + "/default",
				"properties": map[string]any{"state": "Enabled", "isAzureMonitorTargetEnabled": true},
			}}, d.In("properties.template.resources"))

			diag := one(t, res, "azure-native:insights:DiagnosticSetting", "warehouse-workspace-diagnostics")
			require.Equal(t, ws.ID, diag.In("resourceUri"))
			require.Equal(t, logs.ID, diag.In("workspaceId"))
			require.Contains(t, diag.In("logs"), map[string]any{"category": "SQLSecurityAuditEvents", "enabled": true})
		})
	}
}
