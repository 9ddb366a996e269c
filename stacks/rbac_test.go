package stacks_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
)

// grant is one row of the expected RBAC matrix: principal key, principalType, role and the exact ARM scope.
type grant struct {
	principal, principalType string
	role                     roles.Role
	scope                    string
}

func (g grant) String() string {
	return fmt.Sprintf("%s (%s) %s @ %s", g.principal, g.principalType, g.role.Name, g.scope)
}

// expectedMatrix is the seed's RBAC matrix plus the Unity Catalog access connector's least-privilege grants.
func expectedMatrix(t *testing.T, stack string) []grant {
	n := names(t, stack)
	account := rgID(stack) + "/providers/Microsoft.Storage/storageAccounts/" + n.Compact("st")
	container := func(c string) string { return account + "/blobServices/default/containers/" + c }
	vault := rgID(stack) + "/providers/Microsoft.KeyVault/vaults/" + n.Global("kv")
	factory := rgID(stack) + "/providers/Microsoft.DataFactory/factories/" + n.Global("adf")
	databricks := rgID(stack) + "/providers/Microsoft.Databricks/workspaces/" + n.Regional("dbw")
	synapse := rgID(stack) + "/providers/Microsoft.Synapse/workspaces/" + n.Global("syn")
	return []grant{
		{"admins", "Group", roles.KeyVaultAdministrator, vault},
		{"analysts", "Group", roles.StorageBlobDataReader, container("gold")},
		{"analysts", "Group", roles.Reader, factory},
		{"engineers", "Group", roles.StorageBlobDataContributor, account},
		{"engineers", "Group", roles.KeyVaultSecretsUser, vault},
		{"engineers", "Group", roles.DataFactoryContributor, factory},
		{"engineers", "Group", roles.Contributor, databricks},
		{"engineers", "Group", roles.Contributor, synapse},
		// Workload identities: each only what its own step uses.
		// Unity Catalog's access connector: who may use its access is decided by the catalog's grants.
		{"datalake-access-connector", "ServicePrincipal", roles.StorageBlobDataReader, container("bronze")},
		{"datalake-access-connector", "ServicePrincipal", roles.StorageBlobDataContributor, container("silver")},
		{"datalake-access-connector", "ServicePrincipal", roles.StorageBlobDataContributor, container("gold")},
		{"orchestration-factory", "ServicePrincipal", roles.StorageBlobDataReader, container("bronze")},
		{"orchestration-factory", "ServicePrincipal", roles.Contributor, databricks},
		{"orchestration-factory", "ServicePrincipal", roles.KeyVaultSecretsUser, vault},
		{"warehouse-workspace", "ServicePrincipal", roles.StorageBlobDataReader, container("gold")},
		{"warehouse-workspace", "ServicePrincipal", roles.StorageBlobDataContributor, container("synapse")},
		// Microsoft's AzureDatabricks app reads the Key-Vault-backed secret scope.
		{"azure-databricks", "ServicePrincipal", roles.KeyVaultSecretsUser, vault},
	}
}

// TestRBACMatrixIsExact enforces the whole matrix: nobody gains a role that is not listed, analysts
// read gold only (nothing on bronze, silver or the account), nobody is Owner (the admins get it at bootstrap, outside the program),
// the resource group, and the access connector cannot write bronze.
func TestRBACMatrixIsExact(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			inv := res.Inventory()
			var got []grant
			for _, a := range inv.Assignments() {
				require.True(t, a.RoleKnown, "role %s must be in the catalog", a.Role.ID)
				got = append(got, grant{a.Principal.Key, a.PrincipalType, a.Role, a.Scope})
			}
			require.ElementsMatch(t, expectedMatrix(t, stack), got)
		})
	}
}

// TestRoleAssignmentInputs checks what ARM receives: the subscription-scoped role definition id, the
// principal's real object id, principalType (CA.RBAC.StableAssignments: survives Entra replication
// delay) and a GUID name derived from scope, role and principal (stable across reruns).
func TestRoleAssignmentInputs(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			inv := res.Inventory()
			groups := map[string]string{}
			for _, g := range ofType(res, "azuread:index/group:Group") {
				groups[inv.Key(g)] = g.Out("objectId").(string)
			}
			connector := one(t, res, "azure-native:databricks:AccessConnector", "datalake-access-connector")
			factory := one(t, res, "azure-native:datafactory:Factory", "orchestration-factory")
			synapse := one(t, res, "azure-native:synapse:Workspace", "warehouse-workspace")
			var azureDatabricks string
			for _, c := range res.Recorder.Calls() {
				if c.Token == "azuread:index/getServicePrincipal:getServicePrincipal" && c.Args["clientId"].IsString() {
					require.Equal(t, "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d", c.Args["clientId"].StringValue(), "looked up by the AzureDatabricks app id")
					azureDatabricks = c.Result["objectId"].StringValue()
				}
			}
			objectIDs := map[string]string{"engineers": groups["engineers"], "analysts": groups["analysts"], "admins": adminsObjectID(t, stack),
				"datalake-access-connector": connector.Out("identity.principalId").(string), "orchestration-factory": factory.Out("identity.principalId").(string),
				"warehouse-workspace": synapse.Out("identity.principalId").(string), "azure-databricks": azureDatabricks}

			for _, ra := range ofType(res, "azure-native:authorization:RoleAssignment") {
				var key string
				for _, a := range inv.Assignments() {
					if a.URN == ra.URN {
						key = a.Principal.Key
					}
				}
				require.NotEmpty(t, objectIDs[key], "known principal %q", key)
				require.Equal(t, objectIDs[key], ra.InString("principalId"), ra.Name)
				role, ok := roles.FromDefinitionID(ra.InString("roleDefinitionId"))
				require.True(t, ok)
				require.Equal(t, "/subscriptions/"+mocks.SubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/"+role.ID,
					ra.InString("roleDefinitionId"), ra.Name)
				require.Equal(t, roles.AssignmentName(ra.InString("scope"), role.ID, ra.InString("principalId")),
					ra.InString("roleAssignmentName"), ra.Name)
				require.Contains(t, []string{"Group", "ServicePrincipal"}, ra.InString("principalType"), ra.Name)
				require.Contains(t, ra.Name, "-", "prefixed by its component")
			}
		})
	}
}
