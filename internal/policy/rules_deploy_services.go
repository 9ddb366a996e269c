package policy

import (
	"fmt"
	"strings"
	"time"

	syn "github.com/customer-analytics/platform/internal/bindings/azurenative/synapse"
	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
)

// CA.Deploy.* (services): what Azure, Data Factory, Synapse and the deploy's credentials need for the
// first `pulumi up` to succeed, for the platform to work after it, and for a refresh to be a no-op. Each
// title names the page or upstream issue that states the constraint.

const (
	tBigDataPool       = "azure-native:synapse:BigDataPool"
	tManagedEndpoint   = "azure-native:datafactory:ManagedPrivateEndpoint"
	tIntegrationRT     = "azure-native:datafactory:IntegrationRuntime"
	tDeployment        = "azure-native:resources:Deployment"
	tDatabricksProvide = "pulumi:providers:databricks"
)

// lateTablePrefixes are Log Analytics tables that a workspace has only once a diagnostic setting has
// sent their first rows (resource-specific tables and the shared AzureDiagnostics/AzureMetrics).
var lateTablePrefixes = []string{"ADF", "Synapse", "Databricks", "Storage", "AZKV", "SQLSecurityAuditEvents", "AzureDiagnostics", "AzureMetrics"}

func init() {
	register(
		Rule{"CA.Deploy.LogAlertLateTables", "platform",
			"Log alerts over tables that appear only after the first logs skip query validation, or creating them fails " +
				"(https://learn.microsoft.com/rest/api/monitor/scheduled-query-rules/create-or-update: skipQueryValidation)",
			// The dynamic-threshold alerts use the preview API version of the same resource.
			eachOfTypes([]string{tLogAlert, tLogAlertPreview}, checkLateTableAlert)},
		Rule{"CA.Deploy.SynapseSparkRuntime", "platform",
			"Synapse Spark pools ask for a supported runtime (" + syn.SparkRuntimeLifecycle + "; 3.4 ended 2026-03-31)",
			eachOfType(tBigDataPool, func(_ *inventory.Inventory, r mocks.Resource) []string {
				if err := syn.CheckSparkVersion(syn.SparkVersion(r.InString("sparkVersion")), time.Now()); err != nil {
					return []string{fmt.Sprintf("%s: %v", inventory.DisplayName(r), err)}
				}
				return nil
			})},
		Rule{"CA.Deploy.FactoryReachesPrivateDatabricks", "platform",
			"A factory reaches a Databricks workspace without public access through a managed private endpoint (databricks_ui_api) " +
				"on the managed runtime (https://learn.microsoft.com/azure/data-factory/managed-virtual-network-private-endpoint, " +
				"https://learn.microsoft.com/azure/databricks/security/network/classic/private-link)",
			checkFactoryReachesDatabricks},
		Rule{"CA.Deploy.ManagedEndpointsUsed", "platform",
			"Every factory managed private endpoint serves a linked service that runs on the managed runtime (connectVia; for Key Vault: " +
				"a secret referenced from such a linked service), else it is approved and paid for but unused (https://learn.microsoft.com/azure/data-factory/managed-virtual-network-private-endpoint)",
			checkManagedEndpointsUsed},
		Rule{"CA.Deploy.BudgetStartDate", "platform",
			"A monthly budget starts on the first of a month no earlier than the current one and later updates never move it " +
				"(https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update: timePeriod)",
			eachOfType(tBudget, checkBudgetStart)},
		Rule{"CA.Deploy.RefreshStable", "platform",
			"After `pulumi refresh` a preview shows no changes: inputs Azure never returns (a deployment's template) or changes behind our back (the secret scope's vault access policy) are not sent or are ignored " +
				"(https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/, https://learn.microsoft.com/azure/databricks/security/secrets/#create-an-azure-key-vault-backed-secret-scope)",
			checkRefreshStable},
		Rule{"CA.Deploy.ProviderAuthRenewable", "platform",
			"The Databricks provider authenticates through the Azure CLI session the deploy job keeps renewable; a GitHub OIDC token " +
				"used as an assertion expires after minutes (https://github.com/Azure/azure-cli/issues/28708)",
			eachOfType(tDatabricksProvide, func(_ *inventory.Inventory, r mocks.Resource) []string {
				return expect(r, "authType", "azure-cli")
			})},
		Rule{"CA.Deploy.SynapseSQLAuditing", "platform",
			"Synapse workspaces send SQL audit events to Log Analytics: extended auditing to Azure Monitor plus the SQLSecurityAuditEvents " +
				"diagnostic category (https://learn.microsoft.com/rest/api/synapse/sqlserver/workspace-managed-sql-server-extended-blob-auditing-policies/create-or-update; checkov CKV2_AZURE_53)",
			eachOfType(tSynapse, checkSynapseAuditing)},
	)
}

func checkLateTableAlert(_ *inventory.Inventory, r mocks.Resource) []string {
	allOf, _ := r.In("criteria.allOf").([]any)
	for _, c := range allOf {
		cond, _ := c.(map[string]any)
		query, _ := cond["query"].(string)
		table := strings.TrimSpace(strings.SplitN(strings.TrimSpace(query), "\n", 2)[0])
		table = strings.TrimSpace(strings.SplitN(table, "|", 2)[0])
		for _, p := range lateTablePrefixes {
			if strings.HasPrefix(table, p) && r.In("skipQueryValidation") != true {
				return []string{fmt.Sprintf("%s: queries %s without skipQueryValidation", r.InString("ruleName"), table)}
			}
		}
	}
	return nil
}

// managedRuntimes are the names of the integration runtimes inside a managed virtual network.
func managedRuntimes(inv *inventory.Inventory) map[string]bool {
	out := map[string]bool{}
	for _, rt := range inv.OfType(tIntegrationRT) {
		if rt.InString("properties.type") == "Managed" && rt.In("properties.managedVirtualNetwork") != nil {
			out[rt.InString("integrationRuntimeName")] = true
		}
	}
	return out
}

func onManagedRuntime(ls mocks.Resource, runtimes map[string]bool) bool {
	return runtimes[ls.InString("properties.connectVia.referenceName")]
}

func checkFactoryReachesDatabricks(inv *inventory.Inventory) (bool, []string) {
	runtimes := managedRuntimes(inv)
	applies := false
	var f []string
	for _, ls := range inv.OfType(tLinkedService) {
		if ls.InString("properties.type") != "AzureDatabricks" {
			continue
		}
		ws, ok := inv.ByID(ls.InString("properties.workspaceResourceId"))
		if !ok || ws.InString("publicNetworkAccess") != "Disabled" {
			continue
		}
		applies = true
		name := "linked service " + ls.InString("linkedServiceName")
		if !onManagedRuntime(ls, runtimes) {
			f = append(f, name+": the workspace is private but the linked service does not run on a managed-VNet runtime")
		}
		if !hasManagedEndpoint(inv, ws.ID, "databricks_ui_api") {
			f = append(f, name+": no managed private endpoint (databricks_ui_api) to "+inventory.DisplayName(ws))
		}
	}
	return applies, f
}

func hasManagedEndpoint(inv *inventory.Inventory, target, group string) bool {
	for _, e := range inv.OfType(tManagedEndpoint) {
		if sameID(e.InString("properties.privateLinkResourceId"), target) && e.InString("properties.groupId") == group {
			return true
		}
	}
	return false
}

// endpointUsers: which linked service property names a managed endpoint's target, per group.
var endpointUsers = map[string]struct{ lsType, property string }{
	"dfs":               {"AzureBlobFS", "url"},
	"blob":              {"AzureBlobStorage", "serviceEndpoint"},
	"databricks_ui_api": {"AzureDatabricks", "workspaceResourceId"},
}

func checkManagedEndpointsUsed(inv *inventory.Inventory) (bool, []string) {
	runtimes := managedRuntimes(inv)
	endpoints := inv.OfType(tManagedEndpoint)
	var f []string
	for _, e := range endpoints {
		user, known := endpointUsers[e.InString("properties.groupId")]
		target, _ := inv.ByID(e.InString("properties.privateLinkResourceId"))
		used := e.InString("properties.groupId") == "vault" && vaultSecretsReadOnManagedRuntime(inv, target, runtimes)
		for _, ls := range inv.OfType(tLinkedService) {
			if !known || ls.InString("properties.type") != user.lsType || !onManagedRuntime(ls, runtimes) {
				continue
			}
			if v := ls.InString("properties." + user.property); sameID(v, target.ID) || targetsEndpointOf(v, target) {
				used = true
			}
		}
		if !used {
			f = append(f, fmt.Sprintf("managed private endpoint %s (%s): no linked service on the managed runtime uses it",
				e.InString("managedPrivateEndpointName"), e.InString("properties.groupId")))
		}
	}
	return len(endpoints) > 0, f
}

// vaultSecretsReadOnManagedRuntime: ADF reads a Key Vault secret through the runtime of the linked
// service that references it (an AzureKeyVaultSecret whose store is a Key Vault linked service of the
// vault); the Key Vault linked service itself has no runtime.
func vaultSecretsReadOnManagedRuntime(inv *inventory.Inventory, vault mocks.Resource, runtimes map[string]bool) bool {
	stores := map[string]bool{}
	for _, ls := range inv.OfType(tLinkedService) {
		if ls.InString("properties.type") == "AzureKeyVault" && targetsEndpointOf(ls.InString("properties.baseUrl"), vault) {
			stores[ls.InString("linkedServiceName")] = true
		}
	}
	for _, ls := range inv.OfType(tLinkedService) {
		if onManagedRuntime(ls, runtimes) && referencesSecretIn(ls.In("properties"), stores) {
			return true
		}
	}
	return false
}

// referencesSecretIn: v holds an AzureKeyVaultSecret whose store is one of stores.
func referencesSecretIn(v any, stores map[string]bool) bool {
	switch x := v.(type) {
	case map[string]any:
		if store, _ := x["store"].(map[string]any); x["type"] == "AzureKeyVaultSecret" && store != nil {
			if name, _ := store["referenceName"].(string); stores[name] {
				return true
			}
		}
		for _, e := range x {
			if referencesSecretIn(e, stores) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if referencesSecretIn(e, stores) {
				return true
			}
		}
	}
	return false
}

// targetsEndpointOf: a linked service URL (dfs endpoint, vault URI) that is the target's own endpoint.
func targetsEndpointOf(url string, target mocks.Resource) bool {
	if url == "" || target.ID == "" {
		return false
	}
	for _, out := range []string{"primaryEndpoints.dfs", "primaryEndpoints.blob", "properties.vaultUri"} {
		if v, _ := target.Out(out).(string); v != "" && strings.EqualFold(strings.TrimSuffix(v, "/"), strings.TrimSuffix(url, "/")) {
			return true
		}
	}
	return false
}

func checkBudgetStart(_ *inventory.Inventory, r mocks.Resource) []string {
	if r.InString("timeGrain") != "Monthly" {
		return nil
	}
	var f []string
	name := inventory.DisplayName(r)
	start, err := time.Parse(time.RFC3339, r.InString("timePeriod.startDate"))
	now := time.Now().UTC()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	switch {
	case err != nil || start.Day() != 1:
		f = append(f, fmt.Sprintf("%s: start %q is not the first day of a month", name, r.InString("timePeriod.startDate")))
	case start.Before(thisMonth):
		f = append(f, fmt.Sprintf("%s: start %s is before the current month; Azure rejects it for a new budget", name, start.Format(time.DateOnly)))
	}
	if !r.IgnoresChanges("timePeriod.startDate") {
		f = append(f, name+": a later `up` would move the start date (no ignoreChanges on timePeriod.startDate)")
	}
	return f
}

// neverReturned are inputs Azure accepts but never gives back on GET, so a refresh would diff them:
// each must be in the resource's ignoreChanges.
var neverReturned = []struct{ token, path, why string }{
	{tDeployment, "properties.template", "a deployment's GET returns templateHash, never the template"},
}

func checkRefreshStable(inv *inventory.Inventory) (bool, []string) {
	var f []string
	n := 0
	for _, nr := range neverReturned {
		for _, r := range inv.OfType(nr.token) {
			n++
			if !r.IgnoresChanges(nr.path) {
				f = append(f, fmt.Sprintf("%s: %s is never returned by Azure (%s) and not in ignoreChanges", inventory.DisplayName(r), nr.path, nr.why))
			}
		}
	}
	for _, v := range inv.OfType(tVault) {
		n++
		// A Key-Vault-backed secret scope adds an access policy for Azure Databricks to the vault.
		if v.In("properties.accessPolicies") != nil || !v.IgnoresChanges("properties.accessPolicies") {
			f = append(f, inventory.DisplayName(v)+": accessPolicies must be neither sent nor diffed (the secret scope adds one)")
		}
	}
	for _, b := range inv.OfType(tBlobService) {
		n++
		// Azure returns allowPermanentDelete with every blob delete retention policy.
		if b.In("deleteRetentionPolicy") != nil && b.In("deleteRetentionPolicy.allowPermanentDelete") == nil {
			f = append(f, inventory.DisplayName(b)+": deleteRetentionPolicy.allowPermanentDelete is returned by Azure but not sent")
		}
	}
	return n > 0, f
}

func checkSynapseAuditing(inv *inventory.Inventory, ws mocks.Resource) []string {
	name := inventory.DisplayName(ws)
	var f []string
	audited := false
	for _, d := range inv.OfType(tDeployment) {
		resources, _ := d.In("properties.template.resources").([]any)
		for _, res := range resources {
			m, _ := res.(map[string]any)
			props, _ := m["properties"].(map[string]any)
			if m["type"] == syn.ExtendedAuditingSettingsType && m["name"] == ws.InString("workspaceName")+"/default" &&
				props["state"] == string(syn.BlobAuditingPolicyStateEnabled) && props["isAzureMonitorTargetEnabled"] == true {
				audited = true
			}
		}
	}
	if !audited {
		f = append(f, name+": no extended auditing settings enabled with the Azure Monitor target")
	}
	shipped := false
	for _, d := range inv.OfType(tDiagnostic) {
		if !sameID(d.InString("resourceUri"), ws.ID) || d.InString("workspaceId") == "" {
			continue
		}
		logs, _ := d.In("logs").([]any)
		for _, l := range logs {
			if m, _ := l.(map[string]any); m["category"] == "SQLSecurityAuditEvents" && m["enabled"] == true {
				shipped = true
			}
		}
	}
	if !shipped {
		f = append(f, name+": no diagnostic setting sends SQLSecurityAuditEvents to Log Analytics")
	}
	return f
}
