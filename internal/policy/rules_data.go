package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

const (
	tStorageAccount = "azure-native:storage:StorageAccount"
	tBlobService    = "azure-native:storage:BlobServiceProperties"
	tContainer      = "azure-native:storage:BlobContainer"
	tVault          = "azure-native:keyvault:Vault"
	tPrivateEP      = "azure-native:network:PrivateEndpoint"
	tDiagnostic     = "azure-native:insights:DiagnosticSetting"
)

func init() {
	register(
		Rule{"CKV_AZURE_44", "checkov", "Storage accounts require TLS 1.2", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "minimumTlsVersion", "TLS1_2")
			})},
		Rule{"CKV_AZURE_3", "checkov", "Storage accounts accept HTTPS only", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "enableHttpsTrafficOnly", true)
			})},
		Rule{"CKV_AZURE_190", "checkov", "Storage accounts forbid public blob access", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "allowBlobPublicAccess", false)
			})},
		Rule{"CKV_AZURE_34", "checkov", "Blob containers are private", eachOfType(tContainer,
			func(_ *inventory.Inventory, r mocks.Resource) []string { return expect(r, "publicAccess", "None") })},
		Rule{"CKV_AZURE_35", "checkov", "Storage firewall denies by default", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "networkRuleSet.defaultAction", "Deny")
			})},
		Rule{"CKV_AZURE_59", "checkov", "Storage accounts disable public network access", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "publicNetworkAccess", "Disabled")
			})},
		Rule{"CKV2_AZURE_40", "checkov", "Storage accounts disable shared-key authorization", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "allowSharedKeyAccess", false)
			})},
		Rule{"CKV_AZURE_206", "checkov", "Storage accounts replicate beyond one datacenter", eachOfType(tStorageAccount,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				if sku := r.InString("sku.name"); strings.HasSuffix(sku, "_LRS") {
					return []string{fmt.Sprintf("%s: sku %s keeps a single copy set", inventory.DisplayName(r), sku)}
				}
				return nil
			})},
		Rule{"CKV2_AZURE_38", "checkov", "Blob and container soft delete are on (>= 7 days)", eachOfType(tBlobService,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				var f []string
				for _, p := range []string{"deleteRetentionPolicy", "containerDeleteRetentionPolicy"} {
					days, _ := r.In(p + ".days").(float64)
					if r.In(p+".enabled") != true || days < 7 {
						f = append(f, fmt.Sprintf("%s: %s is %v", inventory.DisplayName(r), p, printable(r.In(p))))
					}
				}
				return f
			})},
		Rule{"CKV2_AZURE_33", "checkov", "Storage accounts are reached through private endpoints (blob, dfs)", eachOfType(tStorageAccount,
			func(inv *inventory.Inventory, r mocks.Resource) []string {
				return missingEndpoints(inv, r, "blob", "dfs")
			})},
		Rule{"CKV2_AZURE_21", "checkov", "Blob service read/write/delete logs go to Log Analytics", eachOfType(tStorageAccount,
			func(inv *inventory.Inventory, r mocks.Resource) []string {
				return missingLogs(inv, r.ID+"/blobServices/default", inventory.DisplayName(r)+" blob service", "StorageRead", "StorageWrite", "StorageDelete")
			})},

		Rule{"CKV_AZURE_110", "checkov", "Key Vaults have purge protection", eachOfType(tVault,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "properties.enablePurgeProtection", true)
			})},
		Rule{"CKV_AZURE_42", "checkov", "Key Vaults are recoverable (soft delete and purge protection)", eachOfType(tVault,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return append(expect(r, "properties.enableSoftDelete", true), expect(r, "properties.enablePurgeProtection", true)...)
			})},
		Rule{"CKV_AZURE_189", "checkov", "Key Vaults disable public network access", eachOfType(tVault,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "properties.publicNetworkAccess", "Disabled")
			})},
		Rule{"CKV_AZURE_109", "checkov", "Key Vault firewall denies by default", eachOfType(tVault,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "properties.networkAcls.defaultAction", "Deny")
			})},
		Rule{"CKV2_AZURE_32", "checkov", "Key Vaults are reached through a private endpoint", eachOfType(tVault,
			func(inv *inventory.Inventory, r mocks.Resource) []string { return missingEndpoints(inv, r, "vault") })},
		Rule{"Azure.KeyVault.RBAC", "PSRule", "Key Vaults use Azure RBAC, not access policies", eachOfType(tVault,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				f := expect(r, "properties.enableRbacAuthorization", true)
				if ap, _ := r.In("properties.accessPolicies").([]any); len(ap) > 0 {
					f = append(f, fmt.Sprintf("%s: has %d access policies", inventory.DisplayName(r), len(ap)))
				}
				return f
			})},
		Rule{"Azure.KeyVault.Logs", "PSRule", "Key Vault audit events go to Log Analytics", eachOfType(tVault,
			func(inv *inventory.Inventory, r mocks.Resource) []string {
				return missingLogs(inv, r.ID, inventory.DisplayName(r), "AuditEvent")
			})},
	)
}

// missingEndpoints reports the private-link sub-resources of r that no private endpoint targets.
func missingEndpoints(inv *inventory.Inventory, r mocks.Resource, groups ...string) []string {
	var f []string
	for _, g := range groups {
		found := false
		for _, pe := range inv.OfType(tPrivateEP) {
			conns, _ := pe.In("privateLinkServiceConnections").([]any)
			for _, c := range conns {
				cm, _ := c.(map[string]any)
				ids, _ := cm["groupIds"].([]any)
				target, _ := cm["privateLinkServiceId"].(string)
				if sameID(target, r.ID) && slices.Contains(ids, any(g)) {
					found = true
				}
			}
		}
		if !found {
			f = append(f, fmt.Sprintf("%s: no private endpoint for %q", inventory.DisplayName(r), g))
		}
	}
	return f
}

// missingLogs reports log categories that no diagnostic setting on target sends to a workspace.
func missingLogs(inv *inventory.Inventory, target, label string, categories ...string) []string {
	enabled := map[string]bool{}
	for _, d := range inv.OfType(tDiagnostic) {
		if !sameID(d.InString("resourceUri"), target) || d.InString("workspaceId") == "" {
			continue
		}
		logs, _ := d.In("logs").([]any)
		for _, l := range logs {
			lm, _ := l.(map[string]any)
			if lm["enabled"] != true {
				continue
			}
			if c, ok := lm["category"].(string); ok {
				enabled[c] = true
			}
			if g, ok := lm["categoryGroup"].(string); ok {
				enabled["group:"+g] = true
			}
		}
	}
	var f []string
	for _, c := range categories {
		if !enabled[c] && !enabled["group:allLogs"] && !(c == "AuditEvent" && enabled["group:audit"]) {
			f = append(f, fmt.Sprintf("%s: log category %s is not sent to Log Analytics", label, c))
		}
	}
	return f
}
