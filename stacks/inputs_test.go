package stacks_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/internal/mocks"
)

// TestStorageAccountInputs asserts the account's security inputs: CKV_AZURE_44 (TLS1_2), CKV_AZURE_3
// (HTTPS only), CKV_AZURE_190 (no public blobs), CKV2_AZURE_40 (no shared key), CKV_AZURE_35 (deny by
// default), CKV_AZURE_59 (public access: prod disabled, dev firewall), CKV_AZURE_206 (GZRS in prod).
func TestStorageAccountInputs(t *testing.T) {
	cases := []struct {
		stack        string
		sku          string
		publicAccess string
		ipRules      any
		vnetRules    int
	}{
		{"dev", "Standard_LRS", "Enabled", []any{map[string]any{"action": "Allow", "iPAddressOrRange": "203.0.113.0/24"}}, 2},
		{"prod", "Standard_GZRS", "Disabled", nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, tc.stack)
			sa := one(t, res, "azure-native:storage:StorageAccount", "datalake-account")
			require.Equal(t, names(t, tc.stack).Compact("st"), sa.InString("accountName"))
			for path, want := range map[string]any{
				"kind": "StorageV2", "sku.name": tc.sku, "isHnsEnabled": true, "minimumTlsVersion": "TLS1_2",
				"enableHttpsTrafficOnly": true, "allowBlobPublicAccess": false, "allowSharedKeyAccess": false,
				"defaultToOAuthAuthentication": true, "allowCrossTenantReplication": false, "publicNetworkAccess": tc.publicAccess,
				"networkRuleSet.defaultAction": "Deny", "networkRuleSet.bypass": "AzureServices", "accessTier": "Hot",
			} {
				require.Equal(t, want, sa.In(path), path)
			}
			require.Equal(t, tc.ipRules, sa.In("networkRuleSet.ipRules"))
			vnetRules, _ := sa.In("networkRuleSet.virtualNetworkRules").([]any)
			require.Len(t, vnetRules, tc.vnetRules)
			for _, r := range vnetRules {
				id := r.(map[string]any)["virtualNetworkResourceId"].(string)
				require.Contains(t, []string{"snet-databricks-host", "snet-databricks-container"}, id[strings.LastIndex(id, "/")+1:])
			}

			for _, c := range []string{"bronze", "silver", "gold", "scripts"} {
				ctr := one(t, res, "azure-native:storage:BlobContainer", "datalake-"+c)
				require.Equal(t, c, ctr.InString("containerName"))
				require.Equal(t, "None", ctr.InString("publicAccess"), "CKV_AZURE_34: %s is private", c)
			}
			bs := one(t, res, "azure-native:storage:BlobServiceProperties", "datalake-blob-service")
			days := map[string]float64{"dev": 7, "prod": 30}[tc.stack]
			require.Equal(t, map[string]any{"enabled": true, "days": days, "allowPermanentDelete": false}, bs.In("deleteRetentionPolicy"), "CKV2_AZURE_38 blob soft delete")
			require.Equal(t, map[string]any{"enabled": true, "days": days}, bs.In("containerDeleteRetentionPolicy"), "container soft delete")
		})
	}
}

// TestLifecyclePolicy: the policy is named "default" (the only name ARM accepts); bronze cools at 90
// days, archives at 365 (only where the replication supports archive: not on prod's GZRS) and is deleted
// at 730; silver cools at 180; gold stays hot (no rule).
func TestLifecyclePolicy(t *testing.T) {
	day := func(d float64) map[string]any { return map[string]any{"daysAfterModificationGreaterThan": d} }
	bronze := map[string]any{"tierToCool": day(90), "tierToArchive": day(365), "delete": day(730)}
	bronzeNoArchive := map[string]any{"tierToCool": day(90), "delete": day(730)}
	cases := map[string]map[string]any{"dev": bronze, "prod": bronzeNoArchive}
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			mp := one(t, res, "azure-native:storage:ManagementPolicy", "datalake-lifecycle")
			require.Equal(t, "default", mp.InString("managementPolicyName"))
			rules, _ := mp.In("policy.rules").([]any)
			got := map[string]any{}
			for _, r := range rules {
				rm := r.(map[string]any)
				require.Equal(t, "Lifecycle", rm["type"])
				require.Equal(t, true, rm["enabled"])
				filters, _ := mocks.Get(rm, "definition.filters")
				prefixes := filters.(map[string]any)["prefixMatch"].([]any)
				require.Len(t, prefixes, 1)
				require.Equal(t, []any{"blockBlob"}, filters.(map[string]any)["blobTypes"])
				base, _ := mocks.Get(rm, "definition.actions.baseBlob")
				got[prefixes[0].(string)] = base
			}
			require.Equal(t, map[string]any{"bronze/": cases[stack], "silver/": map[string]any{"tierToCool": day(180)}}, got)
		})
	}
}

// TestKeyVaultInputs: RBAC mode without access policies (Azure.KeyVault.RBAC), soft delete 90 days,
// purge protection in prod (CKV_AZURE_110/42), public access disabled in prod (CKV_AZURE_189), firewall
// deny by default (CKV_AZURE_109).
func TestKeyVaultInputs(t *testing.T) {
	cases := []struct {
		stack        string
		purge        any
		publicAccess string
		ipRules      any
		vnetRules    int
	}{
		{"dev", nil, "Enabled", []any{map[string]any{"value": "203.0.113.0/24"}}, 2},
		{"prod", true, "Disabled", nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, tc.stack)
			kv := one(t, res, "azure-native:keyvault:Vault", "identity-vault")
			require.Equal(t, names(t, tc.stack).Global("kv"), kv.InString("vaultName"))
			require.Equal(t, mocks.TenantID, kv.In("properties.tenantId"))
			require.Equal(t, true, kv.In("properties.enableRbacAuthorization"))
			require.Nil(t, kv.In("properties.accessPolicies"), "RBAC mode: no access policies sent (see TestRefreshIsANoOp)")
			require.Equal(t, true, kv.In("properties.enableSoftDelete"))
			require.Equal(t, float64(90), kv.In("properties.softDeleteRetentionInDays"))
			require.Equal(t, tc.purge, kv.In("properties.enablePurgeProtection"), "sent only when true; Azure rejects false once set")
			require.Equal(t, tc.publicAccess, kv.In("properties.publicNetworkAccess"))
			require.Equal(t, "Deny", kv.In("properties.networkAcls.defaultAction"))
			require.Equal(t, "AzureServices", kv.In("properties.networkAcls.bypass"))
			require.Equal(t, tc.ipRules, kv.In("properties.networkAcls.ipRules"))
			vnetRules, _ := kv.In("properties.networkAcls.virtualNetworkRules").([]any)
			require.Len(t, vnetRules, tc.vnetRules)
		})
	}
}

// flatten renders a plain value as text for containment checks.
func flatten(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(k + "=" + flatten(x[k]) + ";")
		}
		return b.String()
	case []any:
		var b strings.Builder
		for _, e := range x {
			b.WriteString(flatten(e) + ",")
		}
		return b.String()
	case string:
		return x
	}
	return ""
}

// TestGroups: the engineers and analysts security groups with the configured names and members, owned by
// the deployer (the admins group exists already: TestAdminsGroupIsExternal).
func TestGroups(t *testing.T) {
	for _, stack := range stacksUnderTest {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			res := runStack(t, stack)
			for _, key := range []string{"engineers", "analysts"} {
				g := one(t, res, "azuread:index/group:Group", "identity-"+key)
				require.True(t, strings.HasPrefix(g.InString("displayName"), "customer-analytics-"+stack+"-"), g.InString("displayName"))
				require.Equal(t, true, g.In("securityEnabled"))
				require.Equal(t, false, g.In("mailEnabled"))
				require.Nil(t, g.In("preventDuplicateNames"), "CA.Deploy.GraphNoDirectoryReads")
				require.Equal(t, []any{mocks.DeployerObjectID}, g.In("owners"))
				require.Equal(t, []any{}, g.In("members"))
			}
		})
	}
}
