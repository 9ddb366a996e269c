package mocks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// rg abbreviates the resource-group prefix of ARM ids.
const rg = "/subscriptions/{sub}/resourceGroups/{resourceGroupName}/providers/"

// armIDTemplates builds each azure-native resource's ARM id from its inputs, the way ARM does.
// {sub} is the subscription; every other {key} is the input of that name. The last placeholder is the
// resource's own name and falls back to the logical name when the input is absent (auto-naming).
var armIDTemplates = map[string]string{
	"azure-native:resources:ResourceGroup": "/subscriptions/{sub}/resourceGroups/{resourceGroupName}",
	"azure-native:resources:Deployment":    rg + "Microsoft.Resources/deployments/{deploymentName}",

	"azure-native:storage:StorageAccount":        rg + "Microsoft.Storage/storageAccounts/{accountName}",
	"azure-native:storage:BlobServiceProperties": rg + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default",
	"azure-native:storage:BlobContainer":         rg + "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
	"azure-native:storage:ManagementPolicy":      rg + "Microsoft.Storage/storageAccounts/{accountName}/managementPolicies/{managementPolicyName}",

	"azure-native:keyvault:Vault":  rg + "Microsoft.KeyVault/vaults/{vaultName}",
	"azure-native:keyvault:Secret": rg + "Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}",

	"azure-native:network:VirtualNetwork":       rg + "Microsoft.Network/virtualNetworks/{virtualNetworkName}",
	"azure-native:network:Subnet":               rg + "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
	"azure-native:network:NetworkSecurityGroup": rg + "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
	"azure-native:network:SecurityRule":         rg + "Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}/securityRules/{securityRuleName}",
	"azure-native:network:PublicIPAddress":      rg + "Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
	"azure-native:network:NatGateway":           rg + "Microsoft.Network/natGateways/{natGatewayName}",
	"azure-native:network:PrivateEndpoint":      rg + "Microsoft.Network/privateEndpoints/{privateEndpointName}",
	"azure-native:network:PrivateDnsZoneGroup":  rg + "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{privateDnsZoneGroupName}",
	"azure-native:network:PrivateZone":          rg + "Microsoft.Network/privateDnsZones/{privateZoneName}",
	"azure-native:network:VirtualNetworkLink":   rg + "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{virtualNetworkLinkName}",

	"azure-native:operationalinsights:Workspace":       rg + "Microsoft.OperationalInsights/workspaces/{workspaceName}",
	"azure-native:insights:ActionGroup":                rg + "Microsoft.Insights/actionGroups/{actionGroupName}",
	"azure-native:insights:MetricAlert":                rg + "Microsoft.Insights/metricAlerts/{ruleName}",
	"azure-native:insights:ScheduledQueryRule":         rg + "Microsoft.Insights/scheduledQueryRules/{ruleName}",
	"azure-native:insights:DiagnosticSetting":          "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
	"azure-native:authorization:RoleAssignment":        "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
	"azure-native:authorization:ManagementLockByScope": "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
	"azure-native:consumption:Budget":                  "{scope}/providers/Microsoft.Consumption/budgets/{budgetName}",

	// The operations workbook and the log alerts on the API version with dynamic thresholds.
	"azure-native:insights:Workbook":                            rg + "Microsoft.Insights/workbooks/{resourceName}",
	"azure-native:insights/v20250101preview:ScheduledQueryRule": rg + "Microsoft.Insights/scheduledQueryRules/{ruleName}",

	"azure-native:databricks:Workspace":       rg + "Microsoft.Databricks/workspaces/{workspaceName}",
	"azure-native:databricks:AccessConnector": rg + "Microsoft.Databricks/accessConnectors/{connectorName}",

	"azure-native:datafactory:Factory":                rg + "Microsoft.DataFactory/factories/{factoryName}",
	"azure-native:datafactory:LinkedService":          rg + "Microsoft.DataFactory/factories/{factoryName}/linkedservices/{linkedServiceName}",
	"azure-native:datafactory:Dataset":                rg + "Microsoft.DataFactory/factories/{factoryName}/datasets/{datasetName}",
	"azure-native:datafactory:Pipeline":               rg + "Microsoft.DataFactory/factories/{factoryName}/pipelines/{pipelineName}",
	"azure-native:datafactory:Trigger":                rg + "Microsoft.DataFactory/factories/{factoryName}/triggers/{triggerName}",
	"azure-native:datafactory:IntegrationRuntime":     rg + "Microsoft.DataFactory/factories/{factoryName}/integrationruntimes/{integrationRuntimeName}",
	"azure-native:datafactory:ManagedPrivateEndpoint": rg + "Microsoft.DataFactory/factories/{factoryName}/managedVirtualNetworks/{managedVirtualNetworkName}/managedprivateendpoints/{managedPrivateEndpointName}",

	"azure-native:synapse:Workspace":         rg + "Microsoft.Synapse/workspaces/{workspaceName}",
	"azure-native:synapse:BigDataPool":       rg + "Microsoft.Synapse/workspaces/{workspaceName}/bigDataPools/{bigDataPoolName}",
	"azure-native:synapse:SqlPool":           rg + "Microsoft.Synapse/workspaces/{workspaceName}/sqlPools/{sqlPoolName}",
	"azure-native:synapse:IpFirewallRule":    rg + "Microsoft.Synapse/workspaces/{workspaceName}/firewallRules/{ruleName}",
	"azure-native:synapse:WorkspaceAadAdmin": rg + "Microsoft.Synapse/workspaces/{workspaceName}/administrators/activeDirectory",
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// armID fills a template from the inputs and returns the id and the resource's own name.
func armID(tmpl, logicalName string, input func(string) string) (string, string, error) {
	all := placeholder.FindAllStringSubmatchIndex(tmpl, -1)
	var b strings.Builder
	last := 0
	name := ""
	for i, m := range all {
		b.WriteString(tmpl[last:m[0]])
		key := tmpl[m[2]:m[3]]
		val := ""
		switch key {
		case "sub":
			val = SubscriptionID
		default:
			val = input(key)
		}
		if val == "" {
			if i != len(all)-1 {
				return "", "", fmt.Errorf("input %q is needed to build the ARM id %s", key, tmpl)
			}
			val = logicalName
		}
		b.WriteString(val)
		last = m[1]
		name = val
	}
	b.WriteString(tmpl[last:])
	if last < len(tmpl) { // the template ends in a fixed segment such as blobServices/default
		name = tmpl[strings.LastIndex(tmpl, "/")+1:]
	}
	return b.String(), name, nil
}

// armOutputs adds the outputs ARM computes for some types (endpoints, URIs, workspace ids).
var armOutputs = map[string]func(rec *Resource, name string, state resource.PropertyMap){
	"azure-native:storage:StorageAccount": func(_ *Resource, name string, state resource.PropertyMap) {
		endpoints := map[string]any{}
		for _, svc := range []string{"blob", "dfs", "file", "queue", "table", "web"} {
			endpoints[svc] = fmt.Sprintf("https://%s.%s.core.windows.net/", name, svc)
		}
		state["primaryEndpoints"] = resource.NewPropertyValue(endpoints)
	},
	"azure-native:keyvault:Vault": func(_ *Resource, name string, state resource.PropertyMap) {
		props := resource.PropertyMap{}
		if p, ok := state["properties"]; ok && p.IsObject() {
			props = p.ObjectValue().Copy()
		}
		props["vaultUri"] = resource.NewProperty(fmt.Sprintf("https://%s.vault.azure.net/", name))
		state["properties"] = resource.NewProperty(props)
	},
	"azure-native:operationalinsights:Workspace": func(rec *Resource, _ string, state resource.PropertyMap) {
		state["customerId"] = resource.NewProperty(StableUUID("law", rec.URN))
	},
	"azure-native:databricks:Workspace": func(rec *Resource, _ string, state resource.PropertyMap) {
		id := fmt.Sprintf("%d", 1000000000000000+int64(len(rec.URN))*7919)
		state["workspaceId"] = resource.NewProperty(id)
		state["workspaceUrl"] = resource.NewProperty(fmt.Sprintf("adb-%s.11.azuredatabricks.net", id))
	},
	"azure-native:synapse:Workspace": func(_ *Resource, name string, state resource.PropertyMap) {
		state["connectivityEndpoints"] = resource.NewPropertyValue(map[string]any{
			"dev":         fmt.Sprintf("https://%s.dev.azuresynapse.net", name),
			"sql":         fmt.Sprintf("%s.sql.azuresynapse.net", name),
			"sqlOnDemand": fmt.Sprintf("%s-ondemand.sql.azuresynapse.net", name),
			"web":         fmt.Sprintf("https://web.azuresynapse.net?workspace=%s", name),
		})
	},
}

// otherOutputs gives ids and computed outputs for non-ARM resources (Entra ID, Databricks).
var otherOutputs = map[string]func(rec *Resource, input func(string) string, state resource.PropertyMap) string{
	"azuread:index/group:Group": func(rec *Resource, _ func(string) string, state resource.PropertyMap) string {
		oid := StableUUID("group", rec.URN)
		state["objectId"] = resource.NewProperty(oid)
		return oid
	},
	"azuread:index/application:Application": func(rec *Resource, _ func(string) string, state resource.PropertyMap) string {
		oid := StableUUID("application", rec.URN)
		cid := StableUUID("client", rec.URN)
		state["objectId"] = resource.NewProperty(oid)
		state["clientId"] = resource.NewProperty(cid)
		state["applicationId"] = resource.NewProperty(cid)
		return "/applications/" + oid
	},
	"azuread:index/servicePrincipal:ServicePrincipal": func(rec *Resource, input func(string) string, state resource.PropertyMap) string {
		oid := StableUUID("service-principal", rec.URN)
		state["objectId"] = resource.NewProperty(oid)
		state["applicationId"] = resource.NewProperty(input("clientId"))
		return oid
	},
	"azuread:index/applicationPassword:ApplicationPassword": func(rec *Resource, input func(string) string, state resource.PropertyMap) string {
		keyID := StableUUID("password", rec.URN)
		state["keyId"] = resource.NewProperty(keyID)
		state["value"] = resource.MakeSecret(resource.NewProperty("mock-client-secret-" + keyID[:8]))
		return input("applicationId") + "/password/" + keyID
	},
}

// databricksOutputs gives Databricks workspace objects the ids the provider returns.
func databricksOutputs(rec *Resource, input func(string) string, state resource.PropertyMap) string {
	id := StableUUID(rec.URN)
	switch rec.Type {
	case "databricks:index/cluster:Cluster":
		id = "1126-020000-" + strings.ReplaceAll(id, "-", "")[:8]
		state["clusterId"] = resource.NewProperty(id)
	case "databricks:index/clusterPolicy:ClusterPolicy":
		id = strings.ToUpper(strings.ReplaceAll(id, "-", "")[:16])
		state["policyId"] = resource.NewProperty(id)
	case "databricks:index/notebook:Notebook", "databricks:index/workspaceFile:WorkspaceFile", "databricks:index/directory:Directory":
		id = input("path")
		state["workspacePath"] = resource.NewProperty("/Workspace" + id)
	case "databricks:index/secretScope:SecretScope":
		id = input("name")
	case "databricks:index/permissions:Permissions":
		for key, object := range map[string]string{"clusterId": "/clusters/", "clusterPolicyId": "/cluster-policies/", "directoryPath": "/directories/"} {
			if v := input(key); v != "" {
				id = object + v
			}
		}
	}
	return id
}
