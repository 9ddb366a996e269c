package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/policy"
)

// TestPolicyReport: prod satisfies every rule (CKV_*, PSRule Azure.*, platform CA.*); dev fails only the
// rules its config waives, each with a reason, and no waiver is stale.
func TestPolicyReport(t *testing.T) {
	devWaived := []string{"CKV_AZURE_59", "CKV2_AZURE_33", "CKV_AZURE_189", "CKV2_AZURE_32", "CKV_AZURE_110", "CKV_AZURE_42",
		"CKV_AZURE_206", "CKV_AZURE_58", "CKV_AZURE_157", "CKV2_AZURE_19", "CKV_AZURE_104", "CKV_AZURE_158"}
	cases := map[string][]string{"dev": devWaived, "prod": nil}
	// Prod has no Synapse firewall rules at all, so the rule about their content has nothing to check.
	// Dev's factory has no managed VNet and its Databricks workspace is public: the CA.Deploy rules about
	// managed private endpoints have nothing to check.
	notApplicable := map[string][]string{
		"dev":  {"CA.Deploy.FactoryReachesPrivateDatabricks", "CA.Deploy.ManagedEndpointsUsed"},
		"prod": {"CA.Synapse.NoAllowAllFirewall"},
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			exceptions, err := res.PolicyExceptions()
			require.NoError(t, err)
			rep := policy.Evaluate(res.Inventory(), exceptions)
			require.Empty(t, rep.Violations(), "no failing rule and no stale waiver")
			require.ElementsMatch(t, cases[stack], rep.ByStatus(policy.Waived))
			require.ElementsMatch(t, notApplicable[stack], rep.ByStatus(policy.NotApplicable))
			for _, r := range rep.Results {
				if r.Status == policy.Waived {
					require.NotEmpty(t, r.Findings, "%s is waived because it really fails", r.Rule.ID)
					require.NotEmpty(t, r.Reason)
				}
			}
		})
	}
}
