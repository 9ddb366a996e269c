package stacks_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/customer-analytics/platform/offline"
	"github.com/customer-analytics/platform/stacks"
)

// TestBadConfigFailsBeforeAnyResource: each invalid value yields an error that names the key and what is
// allowed, and the program registers nothing (no half-applied stack).
func TestBadConfigFailsBeforeAnyResource(t *testing.T) {
	k := stacks.Key
	cases := []struct {
		name, stack, key, value string // value "" with remove=true deletes the key
		remove                  bool
		wantKey, wantAllowed    string
	}{
		{"unknown environment", "dev", k("environment"), "qa", false, k("environment"), "dev, staging, prod"},
		{"missing environment", "dev", k("environment"), "", true, k("environment"), "is required"},
		{"unknown region", "dev", k("location"), "mars", false, k("location"), "westeurope"},
		{"provider region differs", "dev", "azure-native:location", "northeurope", false, "azure-native:location", "westeurope"},
		{"bad prefix", "dev", k("namePrefix"), "Customer-Analytics", false, k("namePrefix"), "2-6 lowercase"},
		{"typo key", "dev", k("netwrok"), `{"mode":"private"}`, false, k("netwrok"), "unknown key"},
		{"unknown field", "dev", k("storage"), `{"replication":"Standard_LRS","softDeleteRetentionDays":7,"retention":1}`, false, k("storage"), "unknown field"},
		{"bad network mode", "dev", k("network"), `{"mode":"public","addressSpace":"10.20.0.0/16","allowedIpRanges":[]}`, false, k("network.mode"), "firewall, private"},
		{"prod in firewall mode", "prod", k("network"), `{"mode":"firewall","addressSpace":"10.30.0.0/16","allowedIpRanges":[]}`, false, k("network.mode"), "private"},
		{"allow-all firewall", "dev", k("network"), `{"mode":"firewall","addressSpace":"10.20.0.0/16","allowedIpRanges":["0.0.0.0/0"]}`, false, k("network.allowedIpRanges[0]"), "never 0.0.0.0/0"},
		{"private ip in firewall", "dev", k("network"), `{"mode":"firewall","addressSpace":"10.20.0.0/16","allowedIpRanges":["10.1.2.3"]}`, false, k("network.allowedIpRanges[0]"), "public IPv4"},
		{"slash 31", "dev", k("network"), `{"mode":"firewall","addressSpace":"10.20.0.0/16","allowedIpRanges":["203.0.113.0/31"]}`, false, k("network.allowedIpRanges[0]"), "/30 or larger"},
		{"public address space", "dev", k("network"), `{"mode":"firewall","addressSpace":"8.8.0.0/16","allowedIpRanges":[]}`, false, k("network.addressSpace"), "10.20.0.0/16"},
		{"ip ranges in private mode", "prod", k("network"), `{"mode":"private","addressSpace":"10.30.0.0/16","allowedIpRanges":["203.0.113.7"]}`, false, k("network.allowedIpRanges"), "[]"},
		{"bad replication", "dev", k("storage"), `{"replication":"Standard_XRS","softDeleteRetentionDays":7}`, false, k("storage.replication"), "Standard_LRS"},
		{"prod LRS", "prod", k("storage"), `{"replication":"Standard_LRS","softDeleteRetentionDays":30}`, false, k("storage.replication"), "Standard_GZRS"},
		{"soft delete 0", "dev", k("storage"), `{"replication":"Standard_LRS","softDeleteRetentionDays":0}`, false, k("storage.softDeleteRetentionDays"), "1..365"},
		{"prod without purge protection", "prod", k("keyVault"), `{"purgeProtection":false,"softDeleteRetentionDays":90}`, false, k("keyVault.purgeProtection"), "true"},
		{"vault retention", "dev", k("keyVault"), `{"purgeProtection":false,"softDeleteRetentionDays":120}`, false, k("keyVault.softDeleteRetentionDays"), "7..90"},
		{"log retention", "dev", k("monitoring"), `{"logRetentionDays":7,"alertEmails":["a@example.com"]}`, false, k("monitoring.logRetentionDays"), "30..730"},
		{"no alert e-mail", "dev", k("monitoring"), `{"logRetentionDays":30,"alertEmails":[]}`, false, k("monitoring.alertEmails"), "e-mail addresses"},
		{"bad alert e-mail", "dev", k("monitoring"), `{"logRetentionDays":30,"alertEmails":["ops at example"]}`, false, k("monitoring.alertEmails[0]"), "user@domain"},
		{"budget start date pinned", "dev", k("budget"), `{"amount":500,"startDate":"2026-12-01"}`, false, k("budget.startDate"), "remove the key"},
		{"budget zero", "dev", k("budget"), `{"amount":0}`, false, k("budget.amount"), "> 0"},
		{"retired synapse runtime", "dev", k("warehouse"), `{"dedicatedSqlPool":false,"dedicatedSqlPoolSku":"DW100c","sparkVersion":"3.4"}`, false, k("warehouse.sparkVersion"), "allowed: 3.5"},
		{"unknown synapse runtime", "dev", k("warehouse"), `{"dedicatedSqlPool":false,"dedicatedSqlPoolSku":"DW100c","sparkVersion":"4.0"}`, false, k("warehouse.sparkVersion"), "not a Synapse runtime"},
		{"member not a guid", "dev", k("groups"), `{"engineers":{"displayName":"e","members":["alice@example.com"]},"analysts":{"displayName":"a","members":[]},"admins":{"objectId":"00000000-0000-0000-0000-0000000ad0de","displayName":"p"}}`, false, k("groups.engineers.members[0]"), "object ids"},
		{"group without name", "dev", k("groups"), `{"engineers":{"displayName":"e","members":[]},"analysts":{"displayName":"","members":[]},"admins":{"objectId":"00000000-0000-0000-0000-0000000ad0de","displayName":"p"}}`, false, k("groups.analysts.displayName"), "1-256"},
		{"admins group by name", "dev", k("groups"), `{"engineers":{"displayName":"e","members":[]},"analysts":{"displayName":"a","members":[]},"admins":{"displayName":"p","objectId":"platform-admins"}}`, false, k("groups.admins.objectId"), "existing group that the tenant admins manage"},
		{"admins group created by the program", "dev", k("groups"), `{"engineers":{"displayName":"e","members":[]},"analysts":{"displayName":"a","members":[]},"admins":{"displayName":"p","members":[]}}`, false, k("groups"), "unknown field \"members\""},
		{"admins group without name", "dev", k("groups"), `{"engineers":{"displayName":"e","members":[]},"analysts":{"displayName":"a","members":[]},"admins":{"objectId":"00000000-0000-0000-0000-0000000ad0de","displayName":""}}`, false, k("groups.admins.displayName"), "existing group's display name"},
		{"secret rotation retired", "dev", k("identity"), `{"secretRotation":"2026-11"}`, false, k("identity.secretRotation"), "Unity Catalog (the lake's access connector"},
		{"identity block retired", "dev", k("identity"), `{}`, false, k("identity"), "remove the key"},
		{"protection not a bool", "prod", k("protection"), `{"stateful":"yes"}`, false, k("protection"), "is not valid"},
		{"protection typo", "prod", k("protection"), `{"locks":true}`, false, k("protection"), "unknown field"},
		{"spark version", "dev", k("compute"), `{"sparkVersion":"latest","nodeType":"Standard_DS3_v2","minWorkers":1,"maxWorkers":4,"autoTerminationMinutes":20}`, false, k("compute.sparkVersion"), "15.4.x-scala2.12"},
		{"workers above cap", "dev", k("compute"), `{"sparkVersion":"15.4.x-scala2.12","nodeType":"Standard_DS3_v2","minWorkers":1,"maxWorkers":50,"autoTerminationMinutes":20}`, false, k("compute.minWorkers"), "maxWorkers <= 10"},
		{"auto-termination off", "dev", k("compute"), `{"sparkVersion":"15.4.x-scala2.12","nodeType":"Standard_DS3_v2","minWorkers":1,"maxWorkers":4,"autoTerminationMinutes":0}`, false, k("compute.autoTerminationMinutes"), "10..120"},
		{"reserved tag", "dev", k("tags"), `{"CostCenter":"A","ManagedBy":"me"}`, false, k("tags.ManagedBy"), "any key except"},
		{"no cost center", "dev", k("tags"), `{}`, false, k("tags.CostCenter"), "non-empty"},
		{"unknown policy rule", "dev", k("policyExceptions"), `{"CKV_AZURE_999":"because we can"}`, false, k("policyExceptions.CKV_AZURE_999"), "CKV_AZURE_44"},
		{"waiver without reason", "dev", k("policyExceptions"), `{"CKV_AZURE_59":"dev"}`, false, k("policyExceptions.CKV_AZURE_59"), "a sentence"},
		{"prod waiver", "prod", k("policyExceptions"), `{"CKV_AZURE_59":"we would like public storage"}`, false, k("policyExceptions"), "{}"},
		{"tags not an object", "dev", k("tags"), `["CostCenter"]`, false, k("tags"), "is not valid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := stackConfig(t, tc.stack)
			if tc.remove {
				cfg = cfg.Without(tc.key)
			} else {
				cfg = cfg.With(tc.key, tc.value)
			}
			res, err := offline.Run(projectRoot(t), "customer-analytics", tc.stack, cfg)
			require.Error(t, err)
			require.ErrorContains(t, err, "config "+tc.wantKey+":")
			require.ErrorContains(t, err, tc.wantAllowed)
			require.Empty(t, res.Recorder.Resources(), "nothing may be registered when the config is invalid")
		})
	}
}

// TestConfigErrorsAreReportedTogether: several bad values are all reported in one run.
func TestConfigErrorsAreReportedTogether(t *testing.T) {
	cfg := stackConfig(t, "dev").
		With(stacks.Key("environment"), "qa").
		With(stacks.Key("budget"), `{"amount":-1}`)
	_, err := offline.Run(projectRoot(t), "customer-analytics", "dev", cfg)
	require.Error(t, err)
	require.ErrorContains(t, err, stacks.Key("environment"))
	require.ErrorContains(t, err, stacks.Key("budget.amount"))
}

// TestCommittedStacksLoad: both committed stack files are valid and differ only in values: the same
// keys, the same nested fields.
func TestCommittedStacksLoad(t *testing.T) {
	dev, prod := stackConfig(t, "dev"), stackConfig(t, "prod")
	devKeys := dev.Without(stacks.Key("policyExceptions")).Keys()
	require.Equal(t, devKeys, prod.Keys(), "prod has the same keys as dev (dev alone lists its policy exceptions)")
	for _, key := range devKeys {
		require.Equal(t, jsonShape(t, dev.Values[key]), jsonShape(t, prod.Values[key]), "%s has the same fields in both stacks", key)
	}
}

// TestEveryStackFileMatchesItsModel: the four stack files are the ones every check globs
// (Pulumi.*.yaml); staging has prod's keys and fields (no policy exceptions), e2e has dev's
// (including the same waivers), so a key added to one stack cannot be forgotten in another.
func TestEveryStackFileMatchesItsModel(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(projectRoot(t), "Pulumi.*.yaml"))
	require.NoError(t, err)
	var found []string
	for _, f := range files {
		found = append(found, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml"))
	}
	require.Equal(t, []string{"dev", "e2e", "prod", "staging"}, found)
	for stack, model := range map[string]string{"staging": "prod", "e2e": "dev"} {
		cfg, want := stackConfig(t, stack), stackConfig(t, model)
		require.Equal(t, want.Keys(), cfg.Keys(), "%s has the keys of %s", stack, model)
		for _, key := range want.Keys() {
			require.Equal(t, jsonShape(t, want.Values[key]), jsonShape(t, cfg.Values[key]), "%s has the fields of %s in %s", key, model, stack)
		}
	}
	exceptions := stacks.Key("policyExceptions")
	require.JSONEq(t, stackConfig(t, "dev").Values[exceptions], stackConfig(t, "e2e").Values[exceptions], "e2e waives what dev waives, no more")
}

// TestStackNamesNeverCollide: no two stacks share a name prefix and environment (the inputs of every
// resource name) or a group display name, so the e2e stack can create nothing that dev, staging or
// prod owns, and staging nothing of prod's.
func TestStackNamesNeverCollide(t *testing.T) {
	seenNames, seenGroups := map[string]string{}, map[string]string{}
	for _, stack := range []string{"dev", "e2e", "prod", "staging"} {
		v := stackConfig(t, stack).Values
		key := v[stacks.Key("namePrefix")] + "/" + v[stacks.Key("environment")]
		require.NotContains(t, seenNames, key, "%s derives the names of %s", stack, seenNames[key])
		seenNames[key] = stack
		var groups map[string]struct {
			DisplayName string `json:"displayName"`
		}
		require.NoError(t, json.Unmarshal([]byte(v[stacks.Key("groups")]), &groups))
		for _, g := range groups {
			require.NotContains(t, seenGroups, g.DisplayName, "%s reuses a group of %s", stack, seenGroups[g.DisplayName])
			seenGroups[g.DisplayName] = stack
		}
	}
	require.Equal(t, "e2e", stackConfig(t, "e2e").Values[stacks.Key("namePrefix")])
}
