package policy_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/policy"
)

// The rules broken one by one on a recorded prod stack are in stacks/policy_rules_test.go (they need the
// program); these tests need only the registry.

// TestRulesAreNotApplicableWithoutResources: an empty stack makes no claims.
func TestRulesAreNotApplicableWithoutResources(t *testing.T) {
	rep := policy.Evaluate(inventory.New(nil), nil)
	require.Len(t, rep.ByStatus(policy.NotApplicable), len(policy.IDs()))
}

func TestRuleIDsAreUniqueAndNamed(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range policy.Rules() {
		require.False(t, seen[r.ID], "duplicate rule %s", r.ID)
		seen[r.ID] = true
		require.Contains(t, []string{"checkov", "PSRule", "platform"}, r.Source)
		require.NotEmpty(t, r.Title)
		_, ok := policy.Lookup(r.ID)
		require.True(t, ok)
	}
}

// TestDeployRulesCiteTheirSource: every CA.Deploy rule names the documentation or issue that states its
// constraint, so the knowledge outlives the fix.
func TestDeployRulesCiteTheirSource(t *testing.T) {
	n := 0
	for _, r := range policy.Rules() {
		if len(r.ID) > 10 && r.ID[:10] == "CA.Deploy." {
			n++
			require.Regexp(t, `\(https://[^ )]+`, r.Title, r.ID)
		}
	}
	require.GreaterOrEqual(t, n, 6)
}
