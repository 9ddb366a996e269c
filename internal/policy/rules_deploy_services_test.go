package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/policy"
)

// deployServicesCases break the prod baseline once per CA.Deploy.* services rule (see
// TestEveryRuleCatchesItsViolation).
var deployServicesCases = map[string]mutation{
	"CA.Deploy.LogAlertLateTables":              set("orchestration-duration-alert", "skipQueryValidation", nil),
	"CA.Deploy.SynapseSparkRuntime":             set("warehouse-spark", "sparkVersion", "3.4"),
	"CA.Deploy.FactoryReachesPrivateDatabricks": drop("orchestration-mpe-databricks"),
	"CA.Deploy.ManagedEndpointsUsed":            set("orchestration-ls-keyvault", "properties.connectVia", nil),
	"CA.Deploy.BudgetStartDate":                 set("observability-budget", "timePeriod.startDate", "2020-01-01T00:00:00Z"),
	"CA.Deploy.RefreshStable":                   set("identity-vault", "properties.accessPolicies", []any{}),
	"CA.Deploy.ProviderAuthRenewable":           set("compute-databricks", "authType", nil),
	"CA.Deploy.SynapseSQLAuditing":              drop("warehouse-sql-auditing"),
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

// TestDeployRulesCatchEachCause: every cause a rule names fails it on its own, not only the one
// TestEveryRuleCatchesItsViolation picks.
func TestDeployRulesCatchEachCause(t *testing.T) {
	cases := []struct {
		rule   string
		mutate mutation
	}{
		{"CA.Deploy.LogAlertLateTables", set("orchestration-quality-alert", "skipQueryValidation", false)},
		{"CA.Deploy.SynapseSparkRuntime", set("warehouse-spark", "sparkVersion", "3.3")},
		{"CA.Deploy.FactoryReachesPrivateDatabricks", set("orchestration-ls-databricks", "properties.connectVia", nil)},
		{"CA.Deploy.ManagedEndpointsUsed", set("orchestration-ls-lake", "properties.connectVia", nil)},
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
