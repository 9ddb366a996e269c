package stacks_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/components"
	"github.com/customer-analytics/platform/internal/mocks"
)

// nsgRule is the part of a security rule the tests pin down.
type nsgRule struct{ name, direction, access, source, destination, ports string }

// TestNSGRules pins every rule of both NSGs (CA.Network.DenyInboundByDefault, CKV_AZURE_9/10/160):
// nothing is allowed in from the Internet on any port — with secure cluster connectivity Databricks
// needs no inbound from outside the VNet — and each NSG ends in an explicit deny-all.
func TestNSGRules(t *testing.T) {
	want := map[string][]nsgRule{
		"nsg-databricks": {
			{"deny-all-inbound", "Inbound", "Deny", "*", "*", "*"},
			{"deny-internet-inbound", "Inbound", "Deny", "Internet", "*", "*"},
		},
		"nsg-private-endpoints": {
			{"allow-vnet-inbound", "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork", "*"},
			{"deny-all-inbound", "Inbound", "Deny", "*", "*", "*"},
			{"deny-all-outbound", "Outbound", "Deny", "*", "*", "*"},
		},
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			got := map[string][]nsgRule{}
			for _, r := range ofType(res, "azure-native:network:SecurityRule") {
				nsg := strings.TrimSuffix(r.InString("networkSecurityGroupName"), "-ca-"+stack+"-weu")
				got[nsg] = append(got[nsg], nsgRule{r.InString("securityRuleName"), r.InString("direction"), r.InString("access"),
					r.InString("sourceAddressPrefix"), r.InString("destinationAddressPrefix"), r.InString("destinationPortRange")})
				require.Equal(t, "*", r.InString("protocol"))
				if r.InString("access") == "Allow" && r.InString("direction") == "Inbound" {
					require.NotContains(t, []string{"*", "Internet", "0.0.0.0/0"}, r.InString("sourceAddressPrefix"), r.Name)
				}
			}
			for k := range got {
				sort.Slice(got[k], func(i, j int) bool { return got[k][i].name+got[k][i].direction < got[k][j].name+got[k][j].direction })
			}
			require.Equal(t, want, got)
			nsgs := ofType(res, "azure-native:network:NetworkSecurityGroup")
			require.Len(t, nsgs, 2)
			for _, nsg := range nsgs {
				require.Nil(t, nsg.In("securityRules"), "rules are separate resources so Databricks' own rules are left alone")
			}
		})
	}
}

// TestSubnets: Databricks host/container subnets are delegated, share the Databricks NSG and egress
// through the NAT gateway; every subnet has an NSG (CKV2_AZURE_31); service endpoints exist only where
// the firewall needs them (dev); subnets are created one after another.
func TestSubnets(t *testing.T) {
	cases := map[string]struct {
		prefix           string
		serviceEndpoints any
	}{
		"dev":  {"10.20", []any{map[string]any{"service": "Microsoft.Storage"}, map[string]any{"service": "Microsoft.KeyVault"}}},
		"prod": {"10.30", nil},
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			tc := cases[stack]
			vnet := one(t, res, "azure-native:network:VirtualNetwork", "network-vnet")
			require.Equal(t, []any{tc.prefix + ".0.0/16"}, vnet.In("addressSpace.addressPrefixes"))
			require.Nil(t, vnet.In("subnets"), "subnets are separate resources")
			nat := one(t, res, "azure-native:network:NatGateway", "network-nat")

			for i, sn := range []struct{ name, subnet, cidr string }{
				{"network-databricks-host", components.SubnetDatabricksHost, tc.prefix + ".0.0/24"},
				{"network-databricks-container", components.SubnetDatabricksContainer, tc.prefix + ".1.0/24"},
			} {
				s := one(t, res, "azure-native:network:Subnet", sn.name)
				require.Equal(t, sn.subnet, s.InString("subnetName"))
				require.Equal(t, sn.cidr, s.InString("addressPrefix"), "subnet %d", i)
				require.Equal(t, []any{map[string]any{"name": "databricks", "serviceName": "Microsoft.Databricks/workspaces"}}, s.In("delegations"))
				require.True(t, strings.HasSuffix(s.InString("networkSecurityGroup.id"), "/nsg-databricks-ca-"+stack+"-weu"))
				require.Equal(t, nat.ID, s.InString("natGateway.id"))
				require.Equal(t, tc.serviceEndpoints, s.In("serviceEndpoints"))
			}
			pe := one(t, res, "azure-native:network:Subnet", "network-private-endpoints")
			require.Equal(t, tc.prefix+".2.0/24", pe.InString("addressPrefix"))
			require.Equal(t, "Enabled", pe.InString("privateEndpointNetworkPolicies"))
			require.True(t, strings.HasSuffix(pe.InString("networkSecurityGroup.id"), "/nsg-private-endpoints-ca-"+stack+"-weu"))

			// Azure rejects concurrent writes to one VNet, so each subnet waits for the previous one.
			host := one(t, res, "azure-native:network:Subnet", "network-databricks-host")
			container := one(t, res, "azure-native:network:Subnet", "network-databricks-container")
			require.Contains(t, container.DependsOn, host.URN)
			require.Contains(t, pe.DependsOn, container.URN)

			ip := one(t, res, "azure-native:network:PublicIPAddress", "network-nat-ip")
			require.Equal(t, "Standard", ip.In("sku.name"))
			require.Equal(t, "Static", ip.In("publicIPAllocationMethod"))
		})
	}
}

// TestPrivateConnectivity: prod reaches every service through a private endpoint registered in its
// private DNS zone (storage blob+dfs, vault, Databricks UI/API, Data Factory, Synapse sql/sqlOnDemand/dev),
// and every zone is linked to the VNet; dev has neither endpoints nor zones.
func TestPrivateConnectivity(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			endpoints := ofType(res, "azure-native:network:PrivateEndpoint")
			zones := ofType(res, "azure-native:network:PrivateZone")
			if stack == "dev" {
				require.Empty(t, endpoints)
				require.Empty(t, zones)
				require.Empty(t, ofType(res, "azure-native:network:VirtualNetworkLink"))
				return
			}
			var zoneNames []string
			for _, z := range zones {
				zoneNames = append(zoneNames, z.InString("privateZoneName"))
				require.Equal(t, "global", z.InString("location"))
			}
			var wantZones []string
			for _, z := range components.PrivateZones {
				wantZones = append(wantZones, string(z))
			}
			require.ElementsMatch(t, wantZones, zoneNames)
			vnet := one(t, res, "azure-native:network:VirtualNetwork", "network-vnet")
			links := ofType(res, "azure-native:network:VirtualNetworkLink")
			require.Len(t, links, len(zones))
			for _, l := range links {
				require.Equal(t, vnet.ID, l.InString("virtualNetwork.id"))
				require.Equal(t, false, l.In("registrationEnabled"))
			}

			n := names(t, stack)
			account := rgID(stack) + "/providers/Microsoft.Storage/storageAccounts/" + n.Compact("st")
			vault := rgID(stack) + "/providers/Microsoft.KeyVault/vaults/" + n.Global("kv")
			databricks := rgID(stack) + "/providers/Microsoft.Databricks/workspaces/" + n.Regional("dbw")
			factory := rgID(stack) + "/providers/Microsoft.DataFactory/factories/" + n.Global("adf")
			synapse := rgID(stack) + "/providers/Microsoft.Synapse/workspaces/" + n.Global("syn")
			want := map[string]struct{ target, group, zone string }{
				"datalake-blob-pe":         {account, "blob", "privatelink.blob.core.windows.net"},
				"datalake-dfs-pe":          {account, "dfs", "privatelink.dfs.core.windows.net"},
				"identity-vault-pe":        {vault, "vault", "privatelink.vaultcore.azure.net"},
				"compute-workspace-pe":     {databricks, "databricks_ui_api", "privatelink.azuredatabricks.net"},
				"orchestration-factory-pe": {factory, "dataFactory", "privatelink.datafactory.azure.net"},
				"warehouse-sql-pe":         {synapse, "Sql", "privatelink.sql.azuresynapse.net"},
				"warehouse-serverless-pe":  {synapse, "SqlOnDemand", "privatelink.sql.azuresynapse.net"},
				"warehouse-dev-pe":         {synapse, "Dev", "privatelink.dev.azuresynapse.net"},
			}
			require.Len(t, endpoints, len(want))
			peSubnet := one(t, res, "azure-native:network:Subnet", "network-private-endpoints")
			for name, w := range want {
				pe := one(t, res, "azure-native:network:PrivateEndpoint", name)
				require.Equal(t, peSubnet.ID, pe.InString("subnet.id"))
				conns := pe.In("privateLinkServiceConnections").([]any)
				require.Len(t, conns, 1)
				c := conns[0].(map[string]any)
				require.Equal(t, w.target, c["privateLinkServiceId"])
				require.Equal(t, []any{w.group}, c["groupIds"])
				group := one(t, res, "azure-native:network:PrivateDnsZoneGroup", name+"-dns")
				cfgs := group.In("privateDnsZoneConfigs").([]any)
				require.Len(t, cfgs, 1)
				zoneID := cfgs[0].(map[string]any)["privateDnsZoneId"].(string)
				require.True(t, strings.HasSuffix(zoneID, "/privateDnsZones/"+w.zone), zoneID)
				require.Equal(t, pe.Out("name"), group.In("privateEndpointName"))
			}
		})
	}
}

// TestObservabilityInputs: retention from config, alert e-mails in the action group, the budget's two
// notifications (80% actual, 100% forecast) and the diagnostics for storage and Key Vault
// (CKV2_AZURE_21, Azure.KeyVault.Logs).
func TestObservabilityInputs(t *testing.T) {
	cases := map[string]struct {
		retention float64
		email     string
		amount    float64
	}{
		"dev":  {30, "data-platform-dev@example.com", 500},
		"prod": {90, "data-platform-oncall@example.com", 5000},
	}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			tc := cases[stack]
			ws := one(t, res, "azure-native:operationalinsights:Workspace", "observability-logs")
			require.Equal(t, tc.retention, ws.In("retentionInDays"))
			require.Equal(t, "PerGB2018", ws.In("sku.name"))
			ag := one(t, res, "azure-native:insights:ActionGroup", "observability-action-group")
			require.Equal(t, []any{map[string]any{"name": "email-0", "emailAddress": tc.email, "useCommonAlertSchema": true}}, ag.In("emailReceivers"))
			require.LessOrEqual(t, len(ag.InString("groupShortName")), 12)
			require.Equal(t, "global", ag.InString("location"))

			b := one(t, res, "azure-native:consumption:Budget", "observability-budget")
			require.Equal(t, rgID(stack), b.InString("scope"))
			require.Equal(t, tc.amount, b.In("amount"))
			require.Equal(t, "Monthly", b.In("timeGrain"))
			require.Equal(t, "Cost", b.In("category"))
			require.Equal(t, time.Now().UTC().Format("2006-01")+"-01T00:00:00Z", b.In("timePeriod.startDate"), "the first of the current month (TestBudgetStartsInTheMonthOfTheFirstDeploy)")
			notify := func(threshold float64, kind string) map[string]any {
				return map[string]any{"enabled": true, "operator": "GreaterThan", "threshold": threshold, "thresholdType": kind,
					"contactEmails": []any{tc.email}, "contactGroups": []any{ag.ID}}
			}
			require.Equal(t, map[string]any{"actual-80-percent": notify(80, "Actual"), "forecast-100-percent": notify(100, "Forecasted")}, b.In("notifications"))

			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			kv := one(t, res, "azure-native:keyvault:Vault", "identity-vault")
			logs := func(cats ...string) []any {
				out := []any{}
				for _, c := range cats {
					out = append(out, map[string]any{"category": c, "enabled": true})
				}
				return out
			}
			for name, w := range map[string]struct {
				target  string
				logs    []any
				metrics string
			}{
				"datalake-blob-diagnostics":  {sa.ID + "/blobServices/default", logs("StorageRead", "StorageWrite", "StorageDelete"), "Transaction"},
				"identity-vault-diagnostics": {kv.ID, logs("AuditEvent"), "AllMetrics"},
			} {
				d := one(t, res, "azure-native:insights:DiagnosticSetting", name)
				require.Equal(t, w.target, d.InString("resourceUri"))
				require.Equal(t, ws.ID, d.InString("workspaceId"))
				require.Equal(t, w.logs, d.In("logs"))
				require.Equal(t, []any{map[string]any{"category": w.metrics, "enabled": true}}, d.In("metrics"))
			}
		})
	}
}

// TestStackStructure: every custom resource except the resource group belongs to a component, carries
// its component's name as prefix, and every component registered its outputs.
func TestStackStructure(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			inv := res.Inventory()
			componentCount := 0
			for _, r := range res.Recorder.Resources() {
				if !r.Custom {
					componentCount++
					require.True(t, strings.HasPrefix(r.Type, "analytics:"), r.Type)
					continue
				}
				if r.Name == "resource-group" {
					continue
				}
				parent, ok := inv.ByURN(r.Parent)
				require.True(t, ok, "%s has a recorded parent", r.URN)
				require.False(t, parent.Custom, "%s is parented to a component", r.URN)
				require.True(t, strings.HasPrefix(r.Name, parent.Name+"-"), "%s is prefixed by %s", r.Name, parent.Name)
			}
			require.Equal(t, 8, componentCount, "observability, network, identity, datalake, orchestration, compute, catalog, warehouse")
			require.Equal(t, componentCount+1, res.Recorder.RegisterResourceOutputsCalls(), "every component, plus the root stack's exports")
			require.Equal(t, map[string]int{
				"azure-native:authorization:getClientConfig":            1,
				"azuread:index/getServicePrincipal:getServicePrincipal": 2, // AzureDatabricks app, the factory's identity
			}, res.Recorder.Invokes())
		})
	}
}

// TestRerunProducesIdenticalInputs: two runs send exactly the same inputs for every resource, so a
// second `pulumi up` shows no diff.
func TestRerunProducesIdenticalInputs(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			snapshot := func() map[string]map[string]any {
				out := map[string]map[string]any{}
				for _, r := range runStack(t, stack).Recorder.Resources() {
					out[r.URN] = mocks.PlainMap(r.Inputs, false)
				}
				return out
			}
			first, second := snapshot(), snapshot()
			require.NotEmpty(t, first)
			require.Equal(t, first, second)
		})
	}
}
