package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

const (
	tSynapse         = "azure-native:synapse:Workspace"
	tSynapseFirewall = "azure-native:synapse:IpFirewallRule"
	tFactory         = "azure-native:datafactory:Factory"
	tLinkedService   = "azure-native:datafactory:LinkedService"
	tDatabricks      = "azure-native:databricks:Workspace"
	tCluster         = inventory.TypeDatabricksCluster
)

// credentialFields are linked-service properties that carry keys, passwords or tokens.
var credentialFields = []string{
	"accessToken", "accountKey", "sasToken", "sasUri", "servicePrincipalKey", "servicePrincipalCredential",
	"connectionString", "password", "encryptedCredential", "credential",
}

func init() {
	register(
		Rule{"CKV_AZURE_58", "checkov", "Synapse workspaces use a managed virtual network", eachOfType(tSynapse,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "managedVirtualNetwork", "default")
			})},
		Rule{"CKV_AZURE_157", "checkov", "Synapse workspaces prevent data exfiltration", eachOfType(tSynapse,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "managedVirtualNetworkSettings.preventDataExfiltration", true)
			})},
		Rule{"CKV2_AZURE_19", "checkov", "Synapse workspaces have no IP firewall rules", eachOfType(tSynapse,
			func(inv *inventory.Inventory, r mocks.Resource) []string {
				var f []string
				for _, fw := range inv.OfType(tSynapseFirewall) {
					if fw.InString("workspaceName") == r.InString("workspaceName") {
						f = append(f, fmt.Sprintf("%s: firewall rule %s (%s-%s)", inventory.DisplayName(r), fw.InString("ruleName"), fw.InString("startIpAddress"), fw.InString("endIpAddress")))
					}
				}
				return f
			})},
		Rule{"CA.Synapse.NoAllowAllFirewall", "platform", "No Synapse firewall rule opens the Internet or all of Azure", eachOfType(tSynapseFirewall,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				start, end := r.InString("startIpAddress"), r.InString("endIpAddress")
				if start == "0.0.0.0" || end == "255.255.255.255" {
					return []string{fmt.Sprintf("%s: %s-%s", inventory.DisplayName(r), start, end)}
				}
				return nil
			})},
		Rule{"Azure.Synapse.AADOnly", "PSRule", "Synapse workspaces accept Entra ID authentication only", eachOfType(tSynapse,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				f := expect(r, "azureADOnlyAuthentication", true)
				if r.In("sqlAdministratorLoginPassword") != nil || r.In("sqlAdministratorLogin") != nil {
					f = append(f, inventory.DisplayName(r)+": has a SQL administrator login")
				}
				return f
			})},
		Rule{"CKV_AZURE_104", "checkov", "Data factories disable public network access", eachOfType(tFactory,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "publicNetworkAccess", "Disabled")
			})},
		Rule{"CA.ADF.ManagedIdentityOnly", "platform", "Data Factory has a system identity and linked services carry no keys, tokens or passwords",
			func(inv *inventory.Inventory) (bool, []string) {
				factories := inv.OfType(tFactory)
				var f []string
				for _, r := range factories {
					f = append(f, expect(r, "identity.type", "SystemAssigned")...)
				}
				for _, ls := range inv.OfType(tLinkedService) {
					for _, field := range credentialFields {
						if ls.In("properties."+field) != nil {
							f = append(f, fmt.Sprintf("linked service %s: sets %s", ls.InString("linkedServiceName"), field))
						}
					}
					if t := ls.InString("properties.type"); t == "AzureDatabricks" && ls.In("properties.authentication") != "MSI" {
						f = append(f, fmt.Sprintf("linked service %s: authentication is not MSI", ls.InString("linkedServiceName")))
					}
				}
				return len(factories) > 0, f
			}},
		Rule{"Azure.Databricks.SecureConnectivity", "PSRule", "Databricks clusters have no public IP (secure cluster connectivity)", eachOfType(tDatabricks,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "parameters.enableNoPublicIp.value", true)
			})},
		Rule{"CA.Databricks.VNetInjection", "platform", "Databricks workspaces run in the platform's VNet", eachOfType(tDatabricks,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				if !strings.Contains(r.InString("parameters.customVirtualNetworkId.value"), "/virtualNetworks/") {
					return []string{inventory.DisplayName(r) + ": not VNet-injected"}
				}
				return nil
			})},
		Rule{"CKV_AZURE_158", "checkov", "Databricks workspaces disable public network access", eachOfType(tDatabricks,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "publicNetworkAccess", "Disabled")
			})},
		Rule{"CA.Databricks.ClusterGuardrails", "platform", "Clusters use a cluster policy and terminate when idle (10-120 min)", eachOfType(tCluster,
			func(_ *inventory.Inventory, r mocks.Resource) []string {
				var f []string
				if r.InString("policyId") == "" {
					f = append(f, fmt.Sprintf("cluster %s: no cluster policy", r.InString("clusterName")))
				}
				if m, _ := r.In("autoterminationMinutes").(float64); m < 10 || m > 120 {
					f = append(f, fmt.Sprintf("cluster %s: auto-termination %v", r.InString("clusterName"), printable(r.In("autoterminationMinutes"))))
				}
				return f
			})},
		Rule{"CA.Databricks.NoClusterSecrets", "platform",
			"Clusters run in a Unity Catalog access mode (dedicated to one principal, or standard) and carry no secret, secret-scope " +
				"reference or fs.azure credential in Spark config or environment: storage access comes from Unity Catalog " +
				"(https://learn.microsoft.com/azure/databricks/compute/configure#access-mode, " +
				"https://learn.microsoft.com/azure/databricks/connect/unity-catalog/)", eachOfType(tCluster, checkClusterSecrets)},
		Rule{"CA.Monitoring.Diagnostics", "platform", "Every data service sends its logs to Log Analytics",
			func(inv *inventory.Inventory) (bool, []string) {
				var f []string
				n := 0
				for _, t := range []string{tVault, tFactory, tDatabricks, tSynapse} {
					for _, r := range inv.OfType(t) {
						n++
						if !hasDiagnostics(inv, r.ID) {
							f = append(f, inventory.DisplayName(r)+": no diagnostic setting")
						}
					}
				}
				for _, r := range inv.OfType(tStorageAccount) {
					n++
					if !hasDiagnostics(inv, r.ID+"/blobServices/default") {
						f = append(f, inventory.DisplayName(r)+": no diagnostic setting on its blob service")
					}
				}
				return n > 0, f
			}},
	)
}

// hasDiagnostics reports whether a diagnostic setting sends target's logs to a workspace.
func hasDiagnostics(inv *inventory.Inventory, target string) bool {
	for _, d := range inv.OfType(tDiagnostic) {
		logs, _ := d.In("logs").([]any)
		if sameID(d.InString("resourceUri"), target) && d.InString("workspaceId") != "" && len(logs) > 0 {
			return true
		}
	}
	return false
}

// clusterCredential matches what puts a storage credential in a cluster's config.
var clusterCredential = regexp.MustCompile(`(?i)\{\{secrets/|^fs\.azure\.account\.(auth|oauth|key)|client[._-]?secret`)

func checkClusterSecrets(_ *inventory.Inventory, r mocks.Resource) []string {
	name := "cluster " + r.InString("clusterName")
	var f []string
	switch r.InString("dataSecurityMode") {
	case "SINGLE_USER", "DATA_SECURITY_MODE_DEDICATED":
		if r.InString("singleUserName") == "" {
			f = append(f, name+": dedicated without a single user")
		}
	case "USER_ISOLATION", "DATA_SECURITY_MODE_STANDARD":
	default:
		f = append(f, fmt.Sprintf("%s: access mode %v is not a Unity Catalog mode", name, printable(r.In("dataSecurityMode"))))
	}
	for _, field := range []string{"sparkConf", "sparkEnvVars"} {
		m, _ := r.In(field).(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if clusterCredential.MatchString(k) || clusterCredential.MatchString(fmt.Sprint(m[k])) {
				f = append(f, fmt.Sprintf("%s: %s %s holds a credential", name, field, k))
			}
		}
	}
	return f
}
