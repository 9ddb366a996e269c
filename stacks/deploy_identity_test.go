package stacks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/components"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
	"github.com/customer-analytics/platform/offline"
	"github.com/customer-analytics/platform/stacks"
)

// adminsObjectID is the committed groups.admins.objectId of a stack.
func adminsObjectID(t *testing.T, stack string) string {
	t.Helper()
	return map[string]string{"dev": "00000000-0000-0000-0000-0000000ad0de", "prod": "00000000-0000-0000-0000-0000000ad0e0"}[stack]
}

// TestEntraObjectsNeedNoDirectoryReads (issue 9, item 1): no group or application asks the provider for
// a duplicate-name search, which lists the whole directory and needs Graph read permissions the deploy
// app does not hold (CA.Deploy.GraphNoDirectoryReads).
func TestEntraObjectsNeedNoDirectoryReads(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			entra := append(ofType(res, "azuread:index/group:Group"), ofType(res, "azuread:index/application:Application")...)
			require.Len(t, entra, 2, "engineers, analysts (no application: no Databricks service principal)")
			for _, r := range entra {
				_, set := r.Inputs["preventDuplicateNames"]
				require.False(t, set, "%s sets preventDuplicateNames", r.Name)
				require.Equal(t, []any{mocks.DeployerObjectID}, r.In("owners"), r.Name)
			}
		})
	}
}

// TestAdminsGroupIsExternal (issue 9, item 7): the admins group is referenced by the configured object id,
// never created (so never owned) by the deploy identity, and no role that grants roles is assigned, so the
// deploy identity's condition can exclude Owner, User Access Administrator and RBAC Administrator.
func TestAdminsGroupIsExternal(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			for _, g := range ofType(res, "azuread:index/group:Group") {
				require.NotEqual(t, "identity-admins", g.Name)
				require.NotContains(t, g.InString("displayName"), "platform-admins")
			}
			var adminRoles []string
			for _, a := range res.Inventory().Assignments() {
				require.NotContains(t, []roles.Role{roles.Owner, roles.UserAccessAdministrator, roles.RBACAdministrator}, a.Role, a.URN)
				if a.Principal.ID == adminsObjectID(t, stack) {
					require.Equal(t, "admins", a.Principal.Key)
					require.Equal(t, "Group", a.PrincipalType)
					adminRoles = append(adminRoles, a.Role.Name+" @ "+a.ScopeLabel)
				}
			}
			require.Equal(t, []string{"Key Vault Administrator @ Vault " + names(t, stack).Global("kv")}, adminRoles)
		})
	}
}

// statefulNames are the resources prod protects (logical names), and the four that carry a lock.
var (
	statefulNames = []string{"datalake-account", "datalake-bronze", "datalake-silver", "datalake-gold", "datalake-scripts",
		"warehouse-filesystem", "identity-vault", "warehouse-workspace", "observability-logs"}
	lockedNames = []string{"datalake-account", "identity-vault", "warehouse-workspace", "observability-logs"}
)

// TestProtectionFollowsConfig (issue 9, item 11): protection.stateful, not the environment, decides
// whether the stateful resources are protected and CanNotDelete-locked; nothing else is protected, and
// blob versioning stays off on the HNS lake.
func TestProtectionFollowsConfig(t *testing.T) {
	for _, tc := range []struct {
		stack     string
		stateful  string // "" keeps the committed value
		protected bool
	}{
		{"prod", "", true}, {"dev", "", false}, {"prod", "false", false}, {"dev", "true", true},
	} {
		t.Run(tc.stack+"/"+tc.stateful, func(t *testing.T) {
			t.Parallel()
			cfg := stackConfig(t, tc.stack)
			if tc.stateful != "" {
				cfg = cfg.With(stacks.Key("protection"), `{"stateful":`+tc.stateful+`}`)
			}
			res, err := offline.Run(projectRoot(t), "customer-analytics", tc.stack, cfg)
			require.NoError(t, err)
			var protected []string
			for _, r := range res.Recorder.Resources() {
				if r.Protected() {
					protected = append(protected, r.Name)
				}
			}
			locks := ofType(res, "azure-native:authorization:ManagementLockByScope")
			if !tc.protected {
				require.Empty(t, protected)
				require.Empty(t, locks)
				return
			}
			require.ElementsMatch(t, statefulNames, protected)
			require.Len(t, locks, len(lockedNames))
			for _, name := range lockedNames {
				var target mocks.Resource
				for _, r := range res.Recorder.Resources() {
					if r.Name == name && r.Custom {
						target = r
					}
				}
				lock := one(t, res, "azure-native:authorization:ManagementLockByScope", name+"-lock")
				require.Equal(t, target.ID, lock.In("scope"))
				require.Equal(t, components.LockLevelCanNotDelete, lock.In("level"))
				require.Equal(t, "do-not-delete", lock.In("lockName"))
				require.False(t, lock.Protected(), "a lock must stay removable by turning protection off")
			}
			blob := one(t, res, "azure-native:storage:BlobServiceProperties", "datalake-blob-service")
			_, versioning := blob.Inputs["isVersioningEnabled"]
			require.False(t, versioning, "HNS accounts do not support blob versioning")
		})
	}
}

// TestDeliveryDocMatchesIdentityCode (issue 9, items 1, 7, 11, 14): docs/delivery.md and the preflight
// script name the Graph permissions the code needs (and no directory read for the deploy app), the prod
// runner's egress reaches Microsoft Graph, the RBAC condition excludes the roles that grant roles, and
// the lock permission and protection removal are documented.
func TestDeliveryDocMatchesIdentityCode(t *testing.T) {
	root := projectRoot(t)
	read := func(rel string) string {
		raw, err := os.ReadFile(filepath.Join(root, rel))
		require.NoError(t, err)
		return string(raw)
	}
	doc, preflight := read("docs/delivery.md"), read(".github/scripts/preflight.sh")

	deployPerms := regexp.MustCompile(`(?m)^DEPLOY_GRAPH_PERMISSIONS="([^"]+)"`).FindStringSubmatch(preflight)
	require.NotNil(t, deployPerms, "preflight.sh declares DEPLOY_GRAPH_PERMISSIONS")
	require.Equal(t, []string{"Group.Create", "User.Read.All", "Application.ReadWrite.OwnedBy"}, strings.Fields(deployPerms[1]))
	require.Contains(t, doc, `for perm in `+deployPerms[1]+`; do`, "the bootstrap grants exactly the preflight's list")
	for _, p := range []string{"Group.Read.All", "Directory.Read.All", "Application.Read.All", "Group.ReadWrite.All"} {
		require.NotContains(t, deployPerms[1], p)
	}

	egress := doc[strings.Index(doc, "Egress: GitHub"):]
	egress = egress[:strings.Index(egress, "\n2. ")]
	for _, host := range []string{"login.microsoftonline.com", "management.azure.com", "graph.microsoft.com"} {
		require.Contains(t, egress, host, "the prod runner's egress list")
	}

	for _, id := range []string{roles.Owner.ID, roles.UserAccessAdministrator.ID, roles.RBACAdministrator.ID} {
		require.Contains(t, doc, id, "the RBAC condition's role list filters out %s", id)
	}
	for _, want := range []string{"pulumi state unprotect", "az lock delete", "Microsoft.Authorization/locks/", "protection.stateful"} {
		require.Contains(t, doc, want)
	}
}
