package policy

import (
	"fmt"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/roles"
)

// Principal keys the Identity component gives its groups.
const (
	keyEngineers = "engineers"
	keyAnalysts  = "analysts"
)

// privileged roles can grant access or manage everything below their scope.
var privileged = map[string]bool{roles.Owner.ID: true, roles.UserAccessAdministrator.ID: true}

func init() {
	register(
		Rule{"CA.RBAC.StableAssignments", "platform", "Role assignments have deterministic GUID names and a principalType",
			assignmentsCheck(func(a inventory.Assignment) []string {
				var f []string
				if want := roles.AssignmentName(a.Scope, a.Role.ID, a.Principal.ID); a.Name != want {
					f = append(f, fmt.Sprintf("%s: name %q, want %q", a.URN, a.Name, want))
				}
				if a.PrincipalType == "" {
					f = append(f, a.URN+": principalType is not set")
				}
				if !a.RoleKnown {
					f = append(f, fmt.Sprintf("%s: role %s is not in the platform's role catalog", a.URN, a.Role.ID))
				}
				return f
			})},
		// Owner/User Access Administrator/RBAC Administrator: CA.Deploy.NoPrivilegedRoleAssignment (nobody).
		Rule{"CA.RBAC.AnalystsReadGoldOnly", "platform", "Analysts can only read: blob data on the gold container, and view (Reader) services",
			assignmentsCheck(func(a inventory.Assignment) []string {
				if a.Principal.Key != keyAnalysts {
					return nil
				}
				gold := a.Role == roles.StorageBlobDataReader && strings.HasPrefix(a.ScopeLabel, "container ") && strings.HasSuffix(a.ScopeLabel, "/gold")
				viewer := a.Role == roles.Reader && !strings.HasPrefix(a.ScopeLabel, "ResourceGroup ")
				if gold || viewer {
					return nil
				}
				return []string{fmt.Sprintf("analysts hold %s on %s", a.Role.Name, a.ScopeLabel)}
			})},
		Rule{"CA.RBAC.WorkloadsLeastPrivilege", "platform", "Service principals and managed identities hold no role on the resource group or subscription",
			assignmentsCheck(func(a inventory.Assignment) []string {
				if a.PrincipalType != "ServicePrincipal" {
					return nil
				}
				if strings.HasPrefix(a.ScopeLabel, "ResourceGroup ") || strings.Count(a.Scope, "/") <= 2 || privileged[a.Role.ID] {
					return []string{fmt.Sprintf("%s holds %s on %s", a.Principal.Key, a.Role.Name, a.ScopeLabel)}
				}
				return nil
			})},
	)
}

// assignmentsCheck applies a per-assignment check to every role assignment.
func assignmentsCheck(check func(inventory.Assignment) []string) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		as := inv.Assignments()
		var f []string
		for _, a := range as {
			f = append(f, check(a)...)
		}
		return len(as) > 0, f
	}
}
