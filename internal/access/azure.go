package access

import (
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/roles"
)

// roleLevels classify the built-in roles the platform assigns; a role not listed counts as Manage, so
// a new role shows up as the most it could be until someone classifies it.
var roleLevels = map[string]Level{
	roles.Reader.ID:                     View,
	roles.MonitoringReader.ID:           View,
	roles.StorageBlobDataReader.ID:      Read,
	roles.KeyVaultSecretsUser.ID:        Read,
	roles.StorageBlobDataContributor.ID: Write,
	roles.StorageBlobDataOwner.ID:       Manage,
	roles.Contributor.ID:                Manage,
	roles.DataFactoryContributor.ID:     Manage,
	roles.KeyVaultAdministrator.ID:      Manage,
	roles.KeyVaultSecretsOfficer.ID:     Manage,
	roles.Owner.ID:                      Manage,
	roles.UserAccessAdministrator.ID:    Manage,
	roles.RBACAdministrator.ID:          Manage,
}

// azureGrants places every role assignment on the layers its scope reaches: a container on its own
// layer (containers other than the medallion ones on the platform), the storage account on every
// lake layer and the platform, the resource group or subscription on everything, any other
// resource (vault, factory, workspaces) on the platform.
func azureGrants(inv *inventory.Inventory, d *directory) []grant {
	var out []grant
	for _, a := range inv.Assignments() {
		level, ok := roleLevels[a.Role.ID]
		if !ok {
			level = Manage
		}
		key := d.resolve(a.Principal.ID)
		e := Entry{What: a.Role.Name, On: scopeLabel(inv, a), Level: level}
		for _, l := range scopeLayers(inv, a.Scope) {
			out = append(out, grant{key, l, AzureRBAC, e})
		}
	}
	return out
}

// scopeLayers are the rows an ARM scope reaches.
func scopeLayers(inv *inventory.Inventory, scope string) []Layer {
	r, known := inv.ByID(scope)
	switch {
	case known && r.Type == "azure-native:storage:BlobContainer":
		name, _ := r.Out("name").(string)
		return []Layer{layerOfName(name)}
	case known && r.Type == "azure-native:storage:StorageAccount",
		known && r.Type == "azure-native:resources:ResourceGroup",
		!known && strings.Count(strings.Trim(scope, "/"), "/") <= 3: // subscription or resource group
		return Layers
	}
	return []Layer{Platform}
}

// scopeKinds name the resource types role assignments are scoped to, so two "Workspace"s differ.
var scopeKinds = map[string]string{
	"azure-native:storage:StorageAccount":     "account",
	"azure-native:databricks:Workspace":       "Databricks workspace",
	"azure-native:synapse:Workspace":          "Synapse workspace",
	"azure-native:datafactory:Factory":        "factory",
	"azure-native:keyvault:Vault":             "key vault",
	"azure-native:resources:ResourceGroup":    "resource group",
	"azure-native:databricks:AccessConnector": "access connector",
}

// scopeLabel names a scope for people: "container stcadev/gold", "account stcadev", "key vault kv-…".
func scopeLabel(inv *inventory.Inventory, a inventory.Assignment) string {
	r, ok := inv.ByID(a.Scope)
	if !ok {
		return a.ScopeLabel
	}
	kind, ok := scopeKinds[r.Type]
	name, _ := r.Out("name").(string)
	if !ok || name == "" {
		return a.ScopeLabel
	}
	return kind + " " + name
}
