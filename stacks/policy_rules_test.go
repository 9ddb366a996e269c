// The policy rules checked against the real program: each rule is broken on a clean prod baseline
// (recorded by running the stack), so these tests live beside the stacks rather than in internal/policy.
package stacks_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/inventory"
	"github.com/customer-analytics/platform/internal/mocks"
	"github.com/customer-analytics/platform/internal/policy"
	"github.com/customer-analytics/platform/internal/roles"
)

// prodResources records the prod stack, which passes every rule.
func prodResources(t *testing.T) []mocks.Resource {
	t.Helper()
	res := runStack(t, "prod")
	rs := res.Recorder.Resources()
	require.Empty(t, policy.Evaluate(inventory.New(rs), nil).Violations(), "the baseline must be clean")
	return rs
}

// requireFinding evaluates rs and requires rule to fail with a first finding that contains want; it
// returns all the rule's findings.
func requireFinding(t *testing.T, rs []mocks.Resource, rule, want string) []string {
	t.Helper()
	for _, r := range policy.Evaluate(inventory.New(rs), nil).Results {
		if r.Rule.ID == rule {
			require.Equal(t, policy.Fail, r.Status)
			require.NotEmpty(t, r.Findings)
			require.Contains(t, r.Findings[0], want, "%v", r.Findings)
			return r.Findings
		}
	}
	t.Fatalf("no rule %s", rule)
	return nil
}

// mutation breaks one resource of a clean baseline.
type mutation func(t *testing.T, rs []mocks.Resource) []mocks.Resource

// set replaces one input (dotted path) of the named resource.
func set(name, path string, value any) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		for i, r := range rs {
			if r.Name != name {
				continue
			}
			rs[i].Inputs = setPath(t, r.Inputs.Copy(), strings.Split(path, "."), value)
			return rs
		}
		t.Fatalf("no resource %s", name)
		return nil
	}
}

func setPath(t *testing.T, m resource.PropertyMap, path []string, value any) resource.PropertyMap {
	key := resource.PropertyKey(path[0])
	if len(path) == 1 {
		if value == nil {
			delete(m, key)
		} else {
			m[key] = resource.NewPropertyValue(value)
		}
		return m
	}
	inner, ok := m[key]
	require.True(t, ok && inner.IsObject(), "path %v", path)
	m[key] = resource.NewProperty(setPath(t, inner.ObjectValue().Copy(), path[1:], value))
	return m
}

// drop removes the named resource.
func drop(name string) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		out := rs[:0]
		for _, r := range rs {
			if r.Name != name {
				out = append(out, r)
			}
		}
		require.Less(t, len(out), len(rs), "no resource %s", name)
		return out
	}
}

// addFirewallRule attaches a Synapse firewall rule to the baseline's workspace.
func addFirewallRule(start, end string) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		var ws string
		for _, r := range rs {
			if r.Name == "warehouse-workspace" {
				ws = r.InString("workspaceName")
			}
		}
		require.NotEmpty(t, ws)
		return append(rs, mocks.Resource{
			URN: "urn:test:firewall", Type: "azure-native:synapse:IpFirewallRule", Name: "warehouse-firewall-x", Custom: true,
			ID: "/x/firewallRules/x", Inputs: resource.NewPropertyMapFromMap(map[string]any{
				"workspaceName": ws, "ruleName": "x", "startIpAddress": start, "endIpAddress": end,
			}),
		})
	}
}

// outOf reads one output of the named resource.
func outOf(t *testing.T, rs []mocks.Resource, name, path string) any {
	for _, r := range rs {
		if r.Name == name {
			return r.Out(path)
		}
	}
	t.Fatalf("no resource %s", name)
	return nil
}

// unprotect clears the protect option of the named resource.
func unprotect(name string) mutation {
	return func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
		for i, r := range rs {
			if r.Name == name {
				require.True(t, r.Protected(), "%s is protected in the baseline", name)
				rs[i].Options.Protect = false
				return rs
			}
		}
		t.Fatalf("no resource %s", name)
		return nil
	}
}

func idOf(t *testing.T, rs []mocks.Resource, name string) string {
	for _, r := range rs {
		if r.Name == name {
			return r.ID
		}
	}
	t.Fatalf("no resource %s", name)
	return ""
}

// TestEveryRuleCatchesItsViolation breaks the clean prod baseline in one place per rule and requires that
// rule to fail — so no rule can pass vacuously. Every registered rule must appear here.
func TestEveryRuleCatchesItsViolation(t *testing.T) {
	cases := map[string]mutation{
		"CKV_AZURE_44":  set("datalake-account", "minimumTlsVersion", "TLS1_0"),
		"CKV_AZURE_3":   set("datalake-account", "enableHttpsTrafficOnly", false),
		"CKV_AZURE_190": set("datalake-account", "allowBlobPublicAccess", true),
		"CKV_AZURE_34":  set("datalake-gold", "publicAccess", "Container"),
		"CKV_AZURE_35":  set("datalake-account", "networkRuleSet.defaultAction", "Allow"),
		"CKV_AZURE_59":  set("datalake-account", "publicNetworkAccess", "Enabled"),
		"CKV2_AZURE_40": set("datalake-account", "allowSharedKeyAccess", nil),
		"CKV_AZURE_206": set("datalake-account", "sku.name", "Standard_LRS"),
		"CKV2_AZURE_38": set("datalake-blob-service", "deleteRetentionPolicy.days", 3),
		"CKV2_AZURE_33": drop("datalake-dfs-pe"),
		"CKV2_AZURE_21": set("datalake-blob-diagnostics", "logs", []any{map[string]any{"category": "StorageWrite", "enabled": true}}),
		"CKV_AZURE_110": set("identity-vault", "properties.enablePurgeProtection", nil),
		"CKV_AZURE_42":  set("identity-vault", "properties.enableSoftDelete", false),
		"CKV_AZURE_189": set("identity-vault", "properties.publicNetworkAccess", "Enabled"),
		"CKV_AZURE_109": set("identity-vault", "properties.networkAcls.defaultAction", "Allow"),
		"CKV2_AZURE_32": drop("identity-vault-pe"),
		"Azure.KeyVault.RBAC": set("identity-vault", "properties.accessPolicies",
			[]any{map[string]any{"objectId": "x", "permissions": map[string]any{"secrets": []any{"get"}}}}),
		"Azure.KeyVault.Logs": set("identity-vault-diagnostics", "logs", []any{map[string]any{"category": "AuditEvent", "enabled": false}}),
		"CKV_AZURE_9": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			rs = set("network-nsg-databricks-deny-internet-inbound", "access", "Allow")(t, rs)
			return set("network-nsg-databricks-deny-internet-inbound", "destinationPortRange", "3389")(t, rs)
		},
		"CKV_AZURE_10": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			rs = set("network-nsg-databricks-deny-internet-inbound", "access", "Allow")(t, rs)
			return set("network-nsg-databricks-deny-internet-inbound", "destinationPortRange", "20-25")(t, rs)
		},
		"CKV_AZURE_160": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			rs = set("network-nsg-private-endpoints-allow-vnet-inbound", "sourceAddressPrefix", "0.0.0.0/0")(t, rs)
			return set("network-nsg-private-endpoints-allow-vnet-inbound", "destinationPortRange", "80")(t, rs)
		},
		"CA.Network.DenyInboundByDefault": drop("network-nsg-databricks-deny-all-inbound"),
		"CKV2_AZURE_31":                   set("network-private-endpoints", "networkSecurityGroup", nil),
		"CA.RBAC.StableAssignments":       set("datalake-analysts-gold", "roleAssignmentName", "00000000-0000-0000-0000-000000000001"),
		"CA.RBAC.AnalystsReadGoldOnly": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return set("datalake-analysts-gold", "scope", idOf(t, rs, "datalake-silver"))(t, rs)
		},
		"CA.RBAC.WorkloadsLeastPrivilege": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return set("datalake-connector-gold", "scope", idOf(t, rs, "resource-group"))(t, rs)
		},
		"CKV_AZURE_58":                        set("warehouse-workspace", "managedVirtualNetwork", nil),
		"CKV_AZURE_157":                       set("warehouse-workspace", "managedVirtualNetworkSettings.preventDataExfiltration", false),
		"CKV2_AZURE_19":                       addFirewallRule("203.0.113.1", "203.0.113.1"),
		"CA.Synapse.NoAllowAllFirewall":       addFirewallRule("0.0.0.0", "255.255.255.255"),
		"Azure.Synapse.AADOnly":               set("warehouse-workspace", "sqlAdministratorLogin", "sqladmin"),
		"CKV_AZURE_104":                       set("orchestration-factory", "publicNetworkAccess", "Enabled"),
		"CA.ADF.ManagedIdentityOnly":          set("orchestration-ls-databricks", "properties.accessToken", "dapi0123"),
		"Azure.Databricks.SecureConnectivity": set("compute-workspace", "parameters.enableNoPublicIp.value", false),
		"CA.Databricks.VNetInjection":         set("compute-workspace", "parameters.customVirtualNetworkId", nil),
		"CKV_AZURE_158":                       set("compute-workspace", "publicNetworkAccess", "Enabled"),
		"CA.Databricks.ClusterGuardrails":     set("compute-cluster", "autoterminationMinutes", 0),
		"CA.Monitoring.Diagnostics":           drop("orchestration-factory-diagnostics"),
		// CA.Deploy.* (identity, credentials, protection): rules_deploy_identity_test.go breaks each in more ways.
		"CA.Deploy.GraphNoDirectoryReads": set("identity-engineers", "preventDuplicateNames", true),
		"CA.Deploy.NoPrivilegedRoleAssignment": set("identity-engineers-vault-user", "roleDefinitionId",
			roles.Owner.DefinitionID(mocks.SubscriptionID)),
		"CA.Deploy.AdminsGroupNotOwned": func(t *testing.T, rs []mocks.Resource) []mocks.Resource {
			return set("warehouse-sql-admin", "sid", outOf(t, rs, "identity-engineers", "objectId"))(t, rs)
		},
		// The program stores no secret (Unity Catalog replaced the Databricks service principal's), so the
		// rule is n/a; a secret added without an expiry fails it.
		"CKV_AZURE_41":                addVaultSecret,
		"CA.Deploy.StatefulProtected": unprotect("identity-vault"),
		"CA.Deploy.NoVersioningOnHns": set("datalake-blob-service", "isVersioningEnabled", true),
	}
	maps.Copy(cases, monitoringViolations)
	maps.Copy(cases, deployServicesCases)
	maps.Copy(cases, unityCatalogCases)
	require.ElementsMatch(t, policy.IDs(), keys(cases), "every rule needs a violation case")

	for id, mutate := range cases {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			rs := mutate(t, prodResources(t))
			rep := policy.Evaluate(inventory.New(rs), nil)
			var got policy.Result
			for _, r := range rep.Results {
				if r.Rule.ID == id {
					got = r
				}
			}
			require.Equal(t, policy.Fail, got.Status, "findings: %v", got.Findings)
			require.NotEmpty(t, got.Findings)
		})
	}
}

// TestWaiversAndStaleWaivers: a waived failure is not a violation, a waiver for a passing rule is.
func TestWaiversAndStaleWaivers(t *testing.T) {
	rs := set("datalake-account", "minimumTlsVersion", "TLS1_0")(t, prodResources(t))
	rep := policy.Evaluate(inventory.New(rs), map[string]string{
		"CKV_AZURE_44": "testing a waiver",
		"CKV_AZURE_3":  "nothing to waive here",
	})
	status := map[string]policy.Status{}
	for _, r := range rep.Results {
		status[r.Rule.ID] = r.Status
	}
	require.Equal(t, policy.Waived, status["CKV_AZURE_44"])
	require.Equal(t, policy.StaleWaiver, status["CKV_AZURE_3"])
	require.Len(t, rep.Violations(), 1)
	require.Equal(t, "CKV_AZURE_3", rep.Violations()[0].Rule.ID)
}
