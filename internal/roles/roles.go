// Package roles is the catalog of Azure built-in roles the platform assigns, and the deterministic
// naming of role assignments.
package roles

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Role is an Azure built-in role: its display name and its role-definition GUID (the same in every
// subscription).
type Role struct {
	Name string
	ID   string
}

// DefinitionID is the subscription-scoped role-definition resource id ARM expects in a role assignment.
func (r Role) DefinitionID(subscriptionID string) string {
	return fmt.Sprintf("/subscriptions/%s/providers/Microsoft.Authorization/roleDefinitions/%s", subscriptionID, r.ID)
}

// Built-in roles used by the platform (ids from learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var (
	Owner                      = Role{"Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
	Contributor                = Role{"Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"}
	Reader                     = Role{"Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"}
	StorageBlobDataOwner       = Role{"Storage Blob Data Owner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"}
	StorageBlobDataContributor = Role{"Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"}
	StorageBlobDataReader      = Role{"Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"}
	KeyVaultAdministrator      = Role{"Key Vault Administrator", "00482a5a-887f-4fb3-b363-3b7fe8e74483"}
	KeyVaultSecretsOfficer     = Role{"Key Vault Secrets Officer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"}
	KeyVaultSecretsUser        = Role{"Key Vault Secrets User", "4633458b-17de-408a-b874-0445c86b69e6"}
	DataFactoryContributor     = Role{"Data Factory Contributor", "673868aa-7521-48a0-acc6-0f60742d39f5"}
	MonitoringReader           = Role{"Monitoring Reader", "43d0d8ad-25c7-4714-9337-8ba259a9fe05"}
	UserAccessAdministrator    = Role{"User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"}
	RBACAdministrator          = Role{"Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"}
)

var catalog = []Role{
	Owner, Contributor, Reader, StorageBlobDataOwner, StorageBlobDataContributor, StorageBlobDataReader,
	KeyVaultAdministrator, KeyVaultSecretsOfficer, KeyVaultSecretsUser, DataFactoryContributor, MonitoringReader,
	UserAccessAdministrator, RBACAdministrator,
}

// All returns every role in the catalog.
func All() []Role { return append([]Role(nil), catalog...) }

// FromDefinitionID resolves a role-definition id (full resource id or bare GUID) to its catalog role.
func FromDefinitionID(definitionID string) (Role, bool) {
	guid := strings.ToLower(definitionID[strings.LastIndex(definitionID, "/")+1:])
	for _, r := range catalog {
		if r.ID == guid {
			return r, true
		}
	}
	return Role{}, false
}

// namespace makes the assignment GUIDs of this project disjoint from other uuid-v5 users.
var namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/customer-analytics/platform/role-assignments"))

// AssignmentName is the role assignment's name: a uuid v5 of scope, role and principal. ARM requires a
// GUID, and deriving it from the triple keeps it identical on every run (no "RoleAssignmentExists"
// conflicts on rerun) while a changed scope, role or principal yields a new assignment. ARM ids are
// case-insensitive, so the scope is lower-cased first.
func AssignmentName(scope, roleID, principalID string) string {
	key := strings.ToLower(scope) + "|" + strings.ToLower(roleID) + "|" + strings.ToLower(principalID)
	return uuid.NewSHA1(namespace, []byte(key)).String()
}
