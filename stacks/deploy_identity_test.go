package stacks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

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
			require.Len(t, entra, 3, "engineers, analysts, the Databricks application")
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

// TestSecretEndsWithItsRotation (issue 9, item 9): the password's end date, the Key Vault secrets'
// expiry and the expiry alert's query all derive from identity.secretRotation, and move with it.
func TestSecretEndsWithItsRotation(t *testing.T) {
	for _, tc := range []struct {
		rotation string
		end      time.Time
	}{
		{"2026-11", time.Date(2027, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"2027-02", time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC)},
	} {
		for _, stack := range stacksUnderTest {
			t.Run(stack+"/"+tc.rotation, func(t *testing.T) {
				t.Parallel()
				cfg := stackConfig(t, stack).With(stacks.Key("identity"), `{"secretRotation":"`+tc.rotation+`"}`)
				res, err := offline.Run(projectRoot(t), "customer-analytics", stack, cfg)
				require.NoError(t, err)
				pw := one(t, res, "azuread:index/applicationPassword:ApplicationPassword", "identity-databricks-secret")
				require.Equal(t, tc.end.Format(time.RFC3339), pw.In("endDate"))
				require.Equal(t, map[string]any{"rotation": tc.rotation}, pw.In("rotateWhenChanged"))
				for _, name := range []string{"identity-databricks-sp-client-id", "identity-databricks-sp-client-secret"} {
					s := one(t, res, "azure-native:keyvault:Secret", name)
					require.Equal(t, map[string]any{"expires": float64(tc.end.Unix())}, s.In("properties.attributes"), name)
					// ARM never returns the value (refresh must not diff it), so a rotation reaches the
					// vault as a new secret named after its month, which the cluster then reads.
					require.Equal(t, strings.TrimPrefix(name, "identity-")+"-"+tc.rotation, s.In("secretName"))
					require.Equal(t, []string{"properties.value"}, s.Options.IgnoreChanges, name)
					// A rotation retires the old secret from state only: deleting it would need the closed
					// data plane and pass the vault's lock; it expires with its password anyway.
					require.True(t, s.RetainedOnDelete(), name)
				}
				cluster := one(t, res, "databricks:index/cluster:Cluster", "compute-cluster")
				for _, name := range []string{"identity-databricks-sp-client-id", "identity-databricks-sp-client-secret"} {
					require.Contains(t, cluster.ExplicitDependsOn(), one(t, res, "azure-native:keyvault:Secret", name).URN,
						"the cluster starts only after the secrets its Spark config names exist")
				}
				conf := cluster.In("sparkConf").(map[string]any)
				var refs []string
				for _, v := range conf {
					if s, ok := v.(string); ok && strings.HasPrefix(s, "{{secrets/") {
						refs = append(refs, s)
					}
				}
				require.ElementsMatch(t, []string{"{{secrets/keyvault/databricks-sp-client-id-" + tc.rotation + "}}",
					"{{secrets/keyvault/databricks-sp-client-secret-" + tc.rotation + "}}"}, refs)
				alert := one(t, res, "azure-native:insights:ScheduledQueryRule", "identity-secret-expiry-alert")
				require.Equal(t, "alert-ca-"+stack+"-weu-sp-secret-expiry", alert.In("ruleName"))
				require.Equal(t, "print days_left = datetime_diff('day', datetime("+tc.end.Format(time.RFC3339)+"), now())\n| where days_left <= 30",
					alert.In("criteria.allOf").([]any)[0].(map[string]any)["query"])
				require.Equal(t, "P1D", alert.In("evaluationFrequency"))
				obs := one(t, res, "azure-native:insights:ActionGroup", "observability-action-group")
				require.Equal(t, map[string]any{"actionGroups": []any{obs.ID}}, alert.In("actions"))
			})
		}
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
