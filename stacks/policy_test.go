package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/policy"
)

// TestPolicyReport: prod and staging satisfy every rule (CKV_*, PSRule Azure.*, platform CA.*); dev
// and e2e fail only the rules their configs waive, each with a reason, and no waiver is stale.
func TestPolicyReport(t *testing.T) {
	devWaived := []string{"CKV_AZURE_59", "CKV2_AZURE_33", "CKV_AZURE_189", "CKV2_AZURE_32", "CKV_AZURE_110", "CKV_AZURE_42",
		"CKV_AZURE_206", "CKV_AZURE_58", "CKV_AZURE_157", "CKV2_AZURE_19", "CKV_AZURE_104", "CKV_AZURE_158",
		"CA.Deploy.StatefulProtected"}
	// Staging is held to prod's bar, the e2e stack to dev's (the same waivers, no more).
	cases := map[string][]string{"dev": devWaived, "prod": nil, "staging": nil, "e2e": devWaived}
	// Prod and staging have no Synapse firewall rules at all, so the rule about their content has
	// nothing to check. Dev's and e2e's factory has no managed VNet and their Databricks workspace is
	// public: the CA.Deploy rules about managed private endpoints have nothing to check.
	// No stack stores a Key Vault secret any more (CKV_AZURE_41 has nothing to check).
	firewallOnly := []string{"CA.Deploy.FactoryReachesPrivateDatabricks", "CA.Deploy.ManagedEndpointsUsed", "CKV_AZURE_41"}
	notApplicable := map[string][]string{"dev": firewallOnly, "prod": {"CA.Synapse.NoAllowAllFirewall", "CKV_AZURE_41"},
		"staging": {"CA.Synapse.NoAllowAllFirewall", "CKV_AZURE_41"}, "e2e": firewallOnly}
	for _, stack := range []string{"dev", "prod", "staging", "e2e"} {
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
