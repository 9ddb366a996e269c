package stacks_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/policy"
)

// deployServicesCases break the prod baseline once per CA.Deploy.* services rule (see
// TestEveryRuleCatchesItsViolation).
var deployServicesCases = map[string]mutation{
	"CA.Deploy.LogAlertLateTables":              unskipAlertOn("ADFPipelineRun", nil),
	"CA.Deploy.SynapseSparkRuntime":             set("warehouse-spark", "sparkVersion", "3.4"),
	"CA.Deploy.FactoryReachesPrivateDatabricks": drop("orchestration-mpe-databricks"),
	"CA.Deploy.ManagedEndpointsUsed":            set("orchestration-ls-lake", "properties.connectVia", nil),
	"CA.Deploy.BudgetStartDate":                 set("observability-budget", "timePeriod.startDate", "2020-01-01T00:00:00Z"),
	"CA.Deploy.RefreshStable":                   set("identity-vault", "properties.accessPolicies", []any{}),
	"CA.Deploy.ProviderAuthRenewable":           set("compute-databricks", "authType", nil),
	"CA.Deploy.SynapseSQLAuditing":              drop("warehouse-sql-auditing"),
}

// unskipAlertOn sets skipQueryValidation (nil: unset) on the first log alert whose query reads table.
func unskipAlertOn(table string, value any) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		for _, r := range rs {
			if r.Type != "azure-native:insights:ScheduledQueryRule" {
				continue
			}
			if allOf, _ := r.In("criteria.allOf").([]any); len(allOf) > 0 {
				if q, _ := allOf[0].(map[string]any)["query"].(string); strings.HasPrefix(q, table) {
					return set(r.Name, "skipQueryValidation", value)(t, rs)
				}
			}
		}
		t.Fatalf("no log alert reads %s", table)
		return nil
	}
}

// withoutIgnoreChanges removes one path from a resource's recorded ignoreChanges.
func withoutIgnoreChanges(name, path string) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		for i, r := range rs {
			if r.Name != name {
				continue
			}
			require.True(t, r.IgnoresChanges(path), "%s ignores %s in the baseline", name, path)
			var kept []string
			for _, p := range r.Options.IgnoreChanges {
				if p != path {
					kept = append(kept, p)
				}
			}
			rs[i].Options.IgnoreChanges = kept
			return rs
		}
		t.Fatalf("no resource %s", name)
		return nil
	}
}

// addVaultEndpoint gives the prod factory a managed private endpoint to the vault; withSecret also makes
// the lake linked service (on the managed runtime) read a secret through the Key Vault linked service.
func addVaultEndpoint(withSecret bool) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		vault := idOf(t, rs, "identity-vault")
		rs = append(rs, mocks.Resource{
			URN: "urn:test:mpe-vault", Type: "azure-native:datafactory:ManagedPrivateEndpoint", Name: "orchestration-mpe-vault", Custom: true,
			ID: "/x/managedPrivateEndpoints/vault", Inputs: resource.NewPropertyMapFromMap(map[string]any{
				"managedPrivateEndpointName": "vault", "properties": map[string]any{"privateLinkResourceId": vault, "groupId": "vault"},
			}),
		})
		if withSecret {
			rs = set("orchestration-ls-lake", "properties.servicePrincipalCredential",
				map[string]any{"type": "AzureKeyVaultSecret", "secretName": "x", "store": map[string]any{"referenceName": "KeyVault", "type": "LinkedServiceReference"}})(t, rs)
		}
		return rs
	}
}

// TestVaultEndpointCountsAsUsedOnlyWithASecretReference: ADF reaches Key Vault through the runtime of
// the linked service that references a secret, so a vault endpoint is used exactly when such a
// reference runs on the managed runtime.
func TestVaultEndpointCountsAsUsedOnlyWithASecretReference(t *testing.T) {
	for withSecret, want := range map[bool]policy.Status{false: policy.Fail, true: policy.Pass} {
		rs := addVaultEndpoint(withSecret)(t, prodResources(t))
		for _, r := range policy.Evaluate(inventory.New(rs), nil).Results {
			if r.Rule.ID == "CA.Deploy.ManagedEndpointsUsed" {
				require.Equal(t, want, r.Status, "secret reference %v: %v", withSecret, r.Findings)
			}
		}
	}
}

// TestDeployRulesCatchEachCause: every cause a rule names fails it on its own, not only the one
// TestEveryRuleCatchesItsViolation picks.
func TestDeployRulesCatchEachCause(t *testing.T) {
	cases := []struct {
		rule   string
		mutate mutation
	}{
		{"CA.Deploy.LogAlertLateTables", unskipAlertOn("ADFActivityRun", false)},
		{"CA.Deploy.LogAlertLateTables", set("orchestration-duration-alert", "skipQueryValidation", false)},
		{"CA.Deploy.LogAlertLateTables", set("observability-cluster-termination-alert", "skipQueryValidation", nil)},
		{"CA.Deploy.SynapseSparkRuntime", set("warehouse-spark", "sparkVersion", "3.3")},
		{"CA.Deploy.FactoryReachesPrivateDatabricks", set("orchestration-ls-databricks", "properties.connectVia", nil)},
		{"CA.Deploy.ManagedEndpointsUsed", addVaultEndpoint(false)},
		{"CA.Deploy.BudgetStartDate", set("observability-budget", "timePeriod.startDate", "2030-01-15T00:00:00Z")},
		{"CA.Deploy.BudgetStartDate", withoutIgnoreChanges("observability-budget", "timePeriod.startDate")},
		{"CA.Deploy.RefreshStable", withoutIgnoreChanges("identity-vault", "properties.accessPolicies")},
		{"CA.Deploy.RefreshStable", withoutIgnoreChanges("orchestration-managed-vnet", "properties.template")},
		{"CA.Deploy.RefreshStable", withoutIgnoreChanges("warehouse-sql-auditing", "properties.template")},
		{"CA.Deploy.RefreshStable", set("datalake-blob-service", "deleteRetentionPolicy.allowPermanentDelete", nil)},
		{"CA.Deploy.ProviderAuthRenewable", set("compute-databricks", "authType", "github-oidc-azure")},
		{"CA.Deploy.SynapseSQLAuditing", set("warehouse-workspace-diagnostics", "logs", []any{map[string]any{"category": "GatewayApiRequests", "enabled": true}})},
	}
	for _, tc := range cases {
		rs := tc.mutate(t, prodResources(t))
		for _, r := range policy.Evaluate(inventory.New(rs), nil).Results {
			if r.Rule.ID == tc.rule {
				require.Equal(t, policy.Fail, r.Status, "%s: %v", tc.rule, r.Findings)
			}
		}
	}
}
