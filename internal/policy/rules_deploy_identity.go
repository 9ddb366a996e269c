package policy

import (
	"fmt"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/roles"
)

// CA.Deploy.* rules keep constraints that a real `pulumi up` (Azure, Microsoft Graph) enforces but the
// mocks do not, each citing where the constraint is stated. This file holds the identity, credential
// and protection rules; rules_deploy_services.go the services' ones.

// identityTypes are the resource types the rules below read.
var identityTypes = struct {
	Group            string
	Application      string
	KeyVaultSecret   string
	Lock             string
	StorageAccount   string
	BlobService      string
	BlobContainer    string
	KeyVault         string
	SynapseWorkspace string
	SynapseAadAdmin  string
	LogWorkspace     string
}{
	Group:            "azuread:index/group:Group",
	Application:      "azuread:index/application:Application",
	KeyVaultSecret:   "azure-native:keyvault:Secret",
	Lock:             "azure-native:authorization:ManagementLockByScope",
	StorageAccount:   "azure-native:storage:StorageAccount",
	BlobService:      "azure-native:storage:BlobServiceProperties",
	BlobContainer:    "azure-native:storage:BlobContainer",
	KeyVault:         "azure-native:keyvault:Vault",
	SynapseWorkspace: "azure-native:synapse:Workspace",
	SynapseAadAdmin:  "azure-native:synapse:WorkspaceAadAdmin",
	LogWorkspace:     "azure-native:operationalinsights:Workspace",
}

// identityLockedTypes are the stateful resources that carry a CanNotDelete lock; blob containers are protected
// too but covered by their account's lock (locks apply to child resources).
var identityLockedTypes = []string{identityTypes.StorageAccount, identityTypes.KeyVault, identityTypes.SynapseWorkspace, identityTypes.LogWorkspace}

// identityPrivileged are the roles that can grant roles: a deploy identity allowed to assign them could
// make itself (or anyone) Owner.
var identityPrivileged = map[string]bool{roles.Owner.ID: true, roles.UserAccessAdministrator.ID: true, roles.RBACAdministrator.ID: true}

func init() {
	register(
		Rule{"CA.Deploy.GraphNoDirectoryReads", "platform",
			"Entra groups and applications do not set preventDuplicateNames: its name search lists every group/application, " +
				"which needs Group.Read.All/Application.Read.All beyond the deploy app's Group.Create and Application.ReadWrite.OwnedBy " +
				"(https://learn.microsoft.com/en-us/graph/api/group-list#permissions, https://learn.microsoft.com/en-us/graph/api/application-list#permissions)",
			identityEachOfTypes([]string{identityTypes.Group, identityTypes.Application}, func(_ *inventory.Inventory, r mocks.Resource) []string {
				if r.In("preventDuplicateNames") == true {
					return []string{r.Name + ": preventDuplicateNames is true"}
				}
				return nil
			})},
		Rule{"CA.Deploy.NoPrivilegedRoleAssignment", "platform",
			"The program assigns no Owner, User Access Administrator or RBAC Administrator role, so the deploy identity's " +
				"role-assignment condition can exclude them " +
				"(https://learn.microsoft.com/en-us/azure/role-based-access-control/delegate-role-assignments-overview)",
			assignmentsCheck(func(a inventory.Assignment) []string {
				if identityPrivileged[a.Role.ID] {
					return []string{fmt.Sprintf("%s holds %s on %s", a.Principal.Key, a.Role.Name, a.ScopeLabel)}
				}
				return nil
			})},
		Rule{"CA.Deploy.AdminsGroupNotOwned", "platform",
			"The admin principal (Synapse workspace and SQL admin, Key Vault Administrator) is not a group the program creates: " +
				"a group's owners can add members (https://learn.microsoft.com/en-us/graph/api/group-post-members#permissions)",
			adminsGroupNotOwned},
		Rule{"CKV_AZURE_41", "checkov", "Key Vault secrets have an expiration date", eachOfType(identityTypes.KeyVaultSecret,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				if _, ok := r.In("properties.attributes.expires").(float64); !ok {
					return []string{r.Name + ": properties.attributes.expires is not set"}
				}
				return nil
			})},
		Rule{"CA.Deploy.StatefulProtected", "platform",
			"Stateful resources (lake account and containers, Key Vault, Synapse and Log Analytics workspaces) are pulumi-protected and " +
				"CanNotDelete-locked (https://www.pulumi.com/docs/iac/concepts/options/protect/, " +
				"https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/lock-resources)",
			statefulProtected},
		Rule{"CA.Deploy.NoVersioningOnHns", "platform",
			"Blob versioning is not enabled on hierarchical-namespace accounts, which do not support it " +
				"(https://learn.microsoft.com/en-us/azure/storage/blobs/versioning-overview, " +
				"https://learn.microsoft.com/en-us/azure/storage/blobs/storage-feature-support-in-storage-accounts)",
			eachOfType(identityTypes.BlobService, func(inv *inventory.Inventory, r mocks.Resource) []string {
				if r.In("isVersioningEnabled") != true {
					return nil
				}
				for _, acct := range inv.OfType(identityTypes.StorageAccount) {
					if acct.InString("accountName") == r.InString("accountName") && acct.In("isHnsEnabled") == true {
						return []string{r.Name + ": isVersioningEnabled on HNS account " + acct.InString("accountName")}
					}
				}
				return nil
			})},
	)
}

// identityEachOfTypes applies a per-resource check to every resource of several types.
func identityEachOfTypes(types []string, check func(*inventory.Inventory, mocks.Resource) []string) func(*inventory.Inventory) (bool, []string) {
	return func(inv *inventory.Inventory) (bool, []string) {
		applies := false
		var findings []string
		for _, typ := range types {
			ok, f := eachOfType(typ, check)(inv)
			applies = applies || ok
			findings = append(findings, f...)
		}
		return applies, findings
	}
}

func adminsGroupNotOwned(inv *inventory.Inventory) (bool, []string) {
	admins := map[string]string{} // object id -> where it is the admin
	for _, ws := range inv.OfType(identityTypes.SynapseWorkspace) {
		admins[ws.InString("cspWorkspaceAdminProperties.initialWorkspaceAdminObjectId")] = ws.Name + " initial workspace admin"
	}
	for _, a := range inv.OfType(identityTypes.SynapseAadAdmin) {
		admins[a.InString("sid")] = a.Name + " SQL admin"
	}
	for _, a := range inv.Assignments() {
		if a.Role == roles.KeyVaultAdministrator {
			admins[a.Principal.ID] = "Key Vault Administrator on " + a.ScopeLabel
		}
	}
	delete(admins, "")
	var findings []string
	for _, g := range inv.OfType(identityTypes.Group) {
		if where, ok := admins[fmt.Sprint(g.Out("objectId"))]; ok {
			findings = append(findings, fmt.Sprintf("group %s, created and owned by the program, is %s", g.InString("displayName"), where))
		}
	}
	return len(admins) > 0, findings
}

func statefulProtected(inv *inventory.Inventory) (bool, []string) {
	locked := map[string]bool{}
	for _, l := range inv.OfType(identityTypes.Lock) {
		if l.InString("level") == "CanNotDelete" {
			locked[strings.ToLower(l.InString("scope"))] = true
		}
	}
	applies := false
	var findings []string
	for _, typ := range append([]string{identityTypes.BlobContainer}, identityLockedTypes...) {
		for _, r := range inv.OfType(typ) {
			applies = true
			if !r.Protected() {
				findings = append(findings, inventory.DisplayName(r)+" is not protected")
			}
			if typ != identityTypes.BlobContainer && !locked[strings.ToLower(r.ID)] {
				findings = append(findings, inventory.DisplayName(r)+" has no CanNotDelete lock")
			}
		}
	}
	return applies, findings
}
