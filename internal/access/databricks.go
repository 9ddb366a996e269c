package access

import (
	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// Databricks provider tokens of the workspace objects and identities the matrix reads.
const (
	tDBPermissions = inventory.TypeDatabricksPermissions
	tDBCluster     = inventory.TypeDatabricksCluster
	tDBPolicy      = "databricks:index/clusterPolicy:ClusterPolicy"
	tDBGroup       = inventory.TypeDatabricksGroup
	tDBSP          = inventory.TypeDatabricksServicePrincipal
	tDBEntitlement = "databricks:index/entitlements:Entitlements"
	tDBAssignment  = inventory.TypeDatabricksPermissionAssignment
)

// permissionLevels classify the object permission levels of `databricks_permissions`; one not listed
// counts as Manage.
var permissionLevels = map[string]Level{
	"CAN_VIEW":       Read,
	"CAN_READ":       Read,
	"CAN_RUN":        Run,
	"CAN_ATTACH_TO":  Run,
	"CAN_RESTART":    Run,
	"CAN_USE":        Run,
	"CAN_MANAGE_RUN": Run,
	"CAN_EDIT":       Write,
	"CAN_MANAGE":     Manage,
	"IS_OWNER":       Manage,
}

// entitlementLevels are the workspace entitlements a group or service principal can carry.
var entitlementLevels = []struct {
	input string
	level Level
}{
	{"workspaceAccess", Use},
	{"databricksSqlAccess", Use},
	{"allowClusterCreate", Run},
	{"allowInstancePoolCreate", Run},
}

// databricksGrants places the workspace's object permissions, entitlements, workspace assignments and
// the dedicated (single-user) cluster's user on the platform row: none of them opens a lake layer
// by itself under Unity Catalog.
func databricksGrants(inv *inventory.Inventory, d *directory) []grant {
	labels := objectLabels(inv)
	var out []grant
	add := func(principal string, e Entry) {
		if principal != "" {
			out = append(out, grant{d.resolve(principal), Platform, Databricks, e})
		}
	}
	for _, r := range inv.Resources() {
		switch r.Type {
		case tDBPermissions:
			on := permissionObject(r, labels)
			for _, ac := range asList(r.In("accessControls")) {
				m, _ := ac.(map[string]any)
				level, _ := m["permissionLevel"].(string)
				l, ok := permissionLevels[level]
				if !ok {
					l = Manage
				}
				add(firstString(m, "groupName", "servicePrincipalName", "userName"), Entry{What: level, On: on, Level: l})
			}
		case tDBCluster:
			add(r.InString("singleUserName"), Entry{What: "dedicated user", On: labels[r.ID], Level: Run})
		case tDBGroup:
			entitlements(r, r.InString("displayName"), add)
		case tDBSP:
			entitlements(r, r.InString("applicationId"), add)
		case tDBEntitlement:
			entitlements(r, firstString(mocks.PlainMap(r.Inputs, false), "groupId", "servicePrincipalId", "userId"), add)
		case tDBAssignment:
			p := firstString(mocks.PlainMap(r.Inputs, false), "principalId", "groupName", "servicePrincipalName", "userName")
			for _, perm := range asStrings(r.In("permissions")) {
				l := Use
				if perm != "USER" {
					l = Manage
				}
				add(p, Entry{What: perm, On: "workspace assignment", Level: l})
			}
		}
	}
	return out
}

func entitlements(r mocks.Resource, principal string, add func(string, Entry)) {
	for _, e := range entitlementLevels {
		if on, _ := r.In(e.input).(bool); on {
			add(principal, Entry{What: e.input, On: "workspace entitlement", Level: e.level})
		}
	}
}

// objectLabels names the clusters and policies by id, as permissions refer to them.
func objectLabels(inv *inventory.Inventory) map[string]string {
	out := map[string]string{}
	for _, r := range inv.OfType(tDBCluster) {
		out[r.ID] = "cluster " + r.InString("clusterName")
	}
	for _, r := range inv.OfType(tDBPolicy) {
		out[r.ID] = "policy " + r.InString("name")
	}
	return out
}

// permissionObject labels the object a permissions resource is about.
func permissionObject(r mocks.Resource, labels map[string]string) string {
	for _, k := range []struct{ input, kind string }{
		{"clusterId", "cluster"}, {"clusterPolicyId", "policy"}, {"directoryPath", "folder"},
		{"notebookPath", "notebook"}, {"workspaceFilePath", "file"}, {"jobId", "job"}, {"sqlEndpointId", "sql warehouse"},
	} {
		if v := r.InString(k.input); v != "" {
			if l, ok := labels[v]; ok {
				return l
			}
			return k.kind + " " + v
		}
	}
	return "object " + r.Name
}

func firstString(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s, _ := m[k].(string); s != "" {
			return s
		}
	}
	return ""
}
