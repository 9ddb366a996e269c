package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
)

// TestDeployIdentityRulesCatchEachWay breaks the clean prod baseline in each way a CA.Deploy identity,
// credential or protection rule looks at, and requires the named finding.
func TestDeployIdentityRulesCatchEachWay(t *testing.T) {
	cases := []struct {
		rule, name string
		mutate     mutation
		finding    string
	}{
		{"CA.Deploy.GraphNoDirectoryReads", "analysts group", set("identity-analysts", "preventDuplicateNames", true), "identity-analysts: preventDuplicateNames is true"},
		{"CA.Deploy.NoPrivilegedRoleAssignment", "user access administrator", set("identity-admins-vault-admin", "roleDefinitionId",
			roles.UserAccessAdministrator.DefinitionID(mocks.SubscriptionID)), "admins holds User Access Administrator"},
		{"CA.Deploy.NoPrivilegedRoleAssignment", "rbac administrator", set("identity-admins-vault-admin", "roleDefinitionId",
			roles.RBACAdministrator.DefinitionID(mocks.SubscriptionID)), "admins holds Role Based Access Control Administrator"},
		{"CA.Deploy.AdminsGroupNotOwned", "workspace admin", func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return set("warehouse-workspace", "cspWorkspaceAdminProperties.initialWorkspaceAdminObjectId", outOf(t, rs, "identity-analysts", "objectId"))(t, rs)
		}, "initial workspace admin"},
		{"CA.Deploy.AdminsGroupNotOwned", "key vault administrator", func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return set("identity-admins-vault-admin", "principalId", outOf(t, rs, "identity-engineers", "objectId"))(t, rs)
		}, "is Key Vault Administrator on Vault"},
		{"CA.Deploy.StatefulProtected", "container", unprotect("datalake-gold"), "container stcaprod9fd6bc/gold is not protected"},
		{"CA.Deploy.StatefulProtected", "lock", drop("observability-logs-lock"), "Workspace log-ca-prod-weu has no CanNotDelete lock"},
		{"CA.Deploy.StatefulProtected", "read-only is not the lock", set("datalake-account-lock", "level", "ReadOnly"), "StorageAccount stcaprod9fd6bc has no CanNotDelete lock"},
	}
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			findings := requireFinding(t, tc.mutate(t, prodResources(t)), tc.rule, tc.finding)
			require.Len(t, findings, 1, "%v", findings)
		})
	}
}
