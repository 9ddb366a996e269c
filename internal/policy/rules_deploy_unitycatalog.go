package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// CA.Deploy.* (Unity Catalog): what the access connector, the account-level principals and the
// Databricks provider need for Unity Catalog objects, grants and the dedicated pipeline cluster to deploy
// and work. Each title names the page that states the constraint.

const (
	tAccessConnector   = "azure-native:databricks:AccessConnector"
	tDbxGroup          = inventory.TypeDatabricksGroup
	tDbxAssignment     = inventory.TypeDatabricksPermissionAssignment
	tDbxSP             = inventory.TypeDatabricksServicePrincipal
	tDbxGrants         = inventory.TypeDatabricksGrants
	tDbxPermissions    = inventory.TypeDatabricksPermissions
	tDbxSQLTable       = inventory.TypeDatabricksSQLTable
	tDbxCredential     = inventory.TypeDatabricksStorageCredential
	tStorageAccountUC  = "azure-native:storage:StorageAccount"
	ucDocsIdentities   = "https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/azure-managed-identities"
	ucDocsLocalGroups  = "https://learn.microsoft.com/azure/databricks/admin/users-groups/workspace-local-groups"
	ucDocsAutoIdentity = "https://learn.microsoft.com/azure/databricks/admin/users-groups/automatic-identity-management"
)

// accountLevelTypes need an account-level provider and an account admin; the deploy identity is a
// workspace admin only, so the program must not declare them.
var accountLevelTypes = []string{
	"databricks:index/metastore:Metastore", "databricks:index/metastoreAssignment:MetastoreAssignment",
	"databricks:index/metastoreDataAccess:MetastoreDataAccess", "databricks:index/mwsPermissionAssignment:MwsPermissionAssignment",
}

func init() {
	register(
		Rule{"CA.Deploy.AccessConnectorFirewall", "platform",
			"A storage account that denies by default lets the Unity Catalog access connectors holding roles on it through: a resource " +
				"instance rule for the connector and the trusted-services bypass (" + ucDocsIdentities + ": Configure trusted access to Azure " +
				"Storage based on your managed identity)",
			checkAccessConnectorFirewall},
		Rule{"CA.Deploy.AccountGroupsByName", "platform",
			"Databricks principals are account-level: no workspace-local group, which cannot be granted Unity Catalog privileges and whose " +
				"externalId syncs no members; every group in a grant or ACL is assigned to the workspace by name (resolved from Entra ID by " +
				"automatic identity management) and every service principal registered, before the grants, ACLs and dedicated clusters " +
				"that name them (" + ucDocsLocalGroups + ", " + ucDocsAutoIdentity + ")",
			checkAccountPrincipals},
		Rule{"CA.Deploy.WorkspaceLevelUnityCatalog", "platform",
			"Unity Catalog objects go through the workspace-level provider only: metastores, metastore assignment and account-level " +
				"permission assignment need an account admin and are one-time steps outside the program " +
				"(https://learn.microsoft.com/azure/databricks/data-governance/unity-catalog/get-started, " +
				"https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources/permission_assignment); a storage " +
				"credential with a managed identity needs a deploy service principal that is an account admin " +
				"(https://learn.microsoft.com/azure/databricks/connect/unity-catalog/cloud-storage/storage-credentials)",
			checkWorkspaceLevelUC},
		Rule{"CA.Deploy.GoldTablesSynapseReadable", "platform",
			"Gold tables registered in Unity Catalog keep Delta reader version 1 without deletion vectors, which Synapse serverless " +
				"needs to read them (https://learn.microsoft.com/azure/synapse-analytics/sql/query-delta-lake-format)",
			eachOfType(tDbxSQLTable, func(_ *inventory.Inventory, r mocks.Resource) []string {
				var f []string
				for k, want := range map[string]string{"delta.minReaderVersion": "1", "delta.enableDeletionVectors": "false"} {
					if got, _ := r.In("properties").(map[string]any)[k].(string); got != want {
						f = append(f, fmt.Sprintf("table %s: %s is %q, want %q", r.InString("name"), k, got, want))
					}
				}
				return f
			})},
	)
}

func checkAccessConnectorFirewall(inv *inventory.Inventory) (bool, []string) {
	connectors := inv.OfType(tAccessConnector)
	var f []string
	for _, c := range connectors {
		principal, _ := c.Out("identity.principalId").(string)
		for _, acct := range inv.OfType(tStorageAccountUC) {
			if !holdsRoleIn(inv, principal, acct.ID) || acct.InString("networkRuleSet.defaultAction") != "Deny" {
				continue
			}
			if !strings.Contains(acct.InString("networkRuleSet.bypass"), "AzureServices") {
				f = append(f, fmt.Sprintf("%s: the firewall does not let trusted Azure services through (%s)", inventory.DisplayName(acct), inventory.DisplayName(c)))
			}
			ruled := false
			rules, _ := acct.In("networkRuleSet.resourceAccessRules").([]any)
			for _, x := range rules {
				if m, ok := x.(map[string]any); ok && sameID(fmt.Sprint(m["resourceId"]), c.ID) {
					ruled = true
				}
			}
			if !ruled {
				f = append(f, fmt.Sprintf("%s: no resource instance rule for %s", inventory.DisplayName(acct), inventory.DisplayName(c)))
			}
		}
	}
	return len(connectors) > 0, f
}

// holdsRoleIn: the principal has a role assignment at the account or below it (a container).
func holdsRoleIn(inv *inventory.Inventory, principal, accountID string) bool {
	for _, a := range inv.Assignments() {
		if a.Principal.ID == principal && (sameID(a.Scope, accountID) || strings.HasPrefix(strings.ToLower(a.Scope), strings.ToLower(accountID)+"/")) {
			return true
		}
	}
	return false
}

func checkAccountPrincipals(inv *inventory.Inventory) (bool, []string) {
	var f []string
	for _, g := range inv.OfType(tDbxGroup) {
		f = append(f, fmt.Sprintf("%s: workspace-local group %q", g.Name, g.InString("displayName")))
	}
	groups, sps := map[string]mocks.Resource{}, map[string]mocks.Resource{}
	for _, a := range inv.OfType(tDbxAssignment) {
		if name := a.InString("groupName"); name != "" {
			groups[name] = a
		}
	}
	for _, sp := range inv.OfType(tDbxSP) {
		sps[sp.InString("applicationId")] = sp
	}
	// requireAssigned: the principal is assigned or registered, and r waits for it.
	requireAssigned := func(r mocks.Resource, principal string) {
		p, ok := groups[principal]
		if !ok {
			p, ok = sps[principal]
		}
		switch {
		case !ok:
			f = append(f, fmt.Sprintf("%s: %q is neither an account group assigned to the workspace nor a registered service principal", r.Name, principal))
		case !contains(r.ExplicitDependsOn(), p.URN):
			f = append(f, fmt.Sprintf("%s: does not wait for %s (%q)", r.Name, p.Name, principal))
		}
	}
	applies := false
	for _, g := range inv.OfType(tDbxGrants) {
		applies = true
		entries, _ := g.In("grants").([]any)
		for _, e := range entries {
			m, _ := e.(map[string]any)
			requireAssigned(g, fmt.Sprint(m["principal"]))
		}
	}
	for _, p := range inv.OfType(tDbxPermissions) {
		applies = true
		acl, _ := p.In("accessControls").([]any)
		for _, e := range acl {
			m, _ := e.(map[string]any)
			for _, k := range []string{"groupName", "servicePrincipalName"} {
				if v, ok := m[k].(string); ok {
					requireAssigned(p, v)
				}
			}
		}
	}
	for _, c := range inv.OfType(tCluster) {
		if u := c.InString("singleUserName"); u != "" {
			applies = true
			requireAssigned(c, u)
		}
	}
	sort.Strings(f)
	return applies || len(f) > 0, f
}

func checkWorkspaceLevelUC(inv *inventory.Inventory) (bool, []string) {
	var f []string
	for _, typ := range accountLevelTypes {
		for _, r := range inv.OfType(typ) {
			f = append(f, fmt.Sprintf("%s: %s needs an account-level provider and an account admin", r.Name, typ))
		}
	}
	return len(inv.OfType(tDbxCredential)) > 0 || len(f) > 0, f
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
