package workflows

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The scripts deploy.yml runs around `pulumi up` for the service components: the Data Factory
// trigger, the managed private endpoint approvals and the Synapse RBAC roles.

const (
	triggerStop  = "az datafactory trigger stop --factory-name adf-ca-dev --resource-group rg-ca-dev --name DailyAt0200UTC"
	triggerStart = "az datafactory trigger start --factory-name adf-ca-dev --resource-group rg-ca-dev --name DailyAt0200UTC"
)

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	return path
}

func TestADFTriggerStopBeforeTheUpdate(t *testing.T) {
	t.Run("first deploy: no outputs, nothing to stop, no Azure call", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", nil, "stop", writeJSON(t, map[string]any{}))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.out, "first deploy")
		require.Empty(t, r.log)
	})
	t.Run("a started trigger is stopped and reported", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", []string{"FAKE_TRIGGER_STATE=Started"}, "stop", writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.log, triggerStop)
		require.Contains(t, r.out, "DailyAt0200UTC in adf-ca-dev: Stopped")
		require.Contains(t, r.ghOutput, "was-started=true")
	})
	t.Run("a stopped trigger is left alone", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", []string{"FAKE_TRIGGER_STATE=Stopped"}, "stop", writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.NotContains(t, r.log, "trigger stop")
		require.Empty(t, r.ghOutput)
	})
	t.Run("a trigger an earlier update never created: nothing to stop", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", nil, "stop", writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.out, "does not exist in adf-ca-dev yet")
		require.NotContains(t, r.log, "trigger stop")
	})
	t.Run("the datafactory extension is added when missing", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", []string{"FAKE_NO_DATAFACTORY_EXT=1", "FAKE_TRIGGER_STATE=Started"},
			"stop", writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.log, "az extension add --name datafactory --yes")
		require.Less(t, strings.Index(r.log, "extension add"), strings.Index(r.log, "datafactory trigger"))
	})
}

func TestADFTriggerSyncFollowsTheConfig(t *testing.T) {
	for name, tc := range map[string]struct {
		enabled any
		state   string
		env     []string
		want    []string // calls made
		never   []string // calls not made
		code    int
		out     string
	}{
		"enabled and stopped: started": {enabled: true, state: "Stopped", want: []string{triggerStart},
			never: []string{"trigger stop"}, out: "DailyAt0200UTC in adf-ca-dev: Started"},
		"enabled and already started": {enabled: true, state: "Started", never: []string{"trigger start", "trigger stop"},
			out: "already Started"},
		"disabled and stopped: left stopped": {enabled: false, state: "Stopped", never: []string{"trigger start", "trigger stop"},
			out: "stays Stopped (triggerEnabled: false)"},
		"disabled but started by hand: stopped": {enabled: false, state: "Started", want: []string{triggerStop},
			never: []string{"trigger start"}, out: "DailyAt0200UTC in adf-ca-dev: Stopped"},
		"start refused while provisioning: retried": {enabled: true, state: "Stopped",
			env: []string{"FAKE_START_FAILURES=2", "ADF_TRIGGER_RETRY_SECONDS=0"}, want: []string{triggerStart}, out: "attempt 2 of 5"},
		"start keeps failing": {enabled: true, state: "Stopped",
			env: []string{"FAKE_START_FAILURES=9", "ADF_TRIGGER_RETRY_SECONDS=0", "ADF_TRIGGER_ATTEMPTS=3"}, code: 1,
			out: "could not start trigger DailyAt0200UTC in adf-ca-dev after 3 attempts"},
		"no triggerEnabled output": {enabled: nil, state: "Stopped", code: 1, never: []string{"datafactory"},
			out: "triggerEnabled is '', want true or false"},
	} {
		t.Run(name, func(t *testing.T) {
			outputs := writeOutputs(t, func(o map[string]any) {
				if tc.enabled == nil {
					delete(o, "triggerEnabled")
				} else {
					o["triggerEnabled"] = tc.enabled
				}
			})
			r := runScript(t, t.TempDir(), "adf-trigger.sh", append([]string{"FAKE_TRIGGER_STATE=" + tc.state}, tc.env...), "sync", outputs)
			require.Equal(t, tc.code, r.code, r.out)
			require.Contains(t, r.out, tc.out)
			for _, call := range tc.want {
				require.Contains(t, r.log, call)
			}
			for _, call := range tc.never {
				require.NotContains(t, r.log, call)
			}
		})
	}
	t.Run("three failed starts then one that works", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh",
			[]string{"FAKE_TRIGGER_STATE=Stopped", "FAKE_START_FAILURES=3", "ADF_TRIGGER_RETRY_SECONDS=0"}, "sync", writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Equal(t, 4, strings.Count(r.log, "trigger start"))
	})
	t.Run("unknown action", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "adf-trigger.sh", nil, "restart", writeOutputs(t, nil))
		require.Equal(t, 2, r.code, r.out)
	})
}

// Private endpoint connections as `az network private-endpoint-connection list` returns them.

const (
	ourSubscription = "00000000-0000-0000-0000-0000000000aa" // what the fake `az account show` says
	managedSub      = "11111111-2222-3333-4444-555555555555" // a Microsoft-managed subscription
	storageID       = "/subscriptions/" + ourSubscription + "/resourceGroups/rg-ca-dev/providers/Microsoft.Storage/storageAccounts/stcadev"
	vaultID         = "/subscriptions/" + ourSubscription + "/resourceGroups/rg-ca-dev/providers/Microsoft.KeyVault/vaults/kv-ca-dev"
	databricksID    = "/subscriptions/" + ourSubscription + "/resourceGroups/rg-ca-dev/providers/Microsoft.Databricks/workspaces/dbw-ca-dev"
	adfDatabricks   = "adf-ca-dev.databricks"
	adfLake         = "adf-ca-dev.lake-dfs"
	adfVault        = "adf-ca-dev.vault"
	synapseLake     = "syn-ca-dev.synapse-ws-custstgacct--syn-ca-dev-stcadev"
)

type pec struct {
	target, peName, sub, status string
	groups                      []string
}

func (p pec) id() string {
	return p.target + "/privateEndpointConnections/" + p.peName + "." + p.status
}

func pecsJSON(t *testing.T, list ...pec) string {
	t.Helper()
	var out []map[string]any
	for _, p := range list {
		props := map[string]any{
			"privateEndpoint": map[string]any{"id": "/subscriptions/" + p.sub +
				"/resourceGroups/managed-rg/providers/Microsoft.Network/privateEndpoints/" + p.peName},
			"privateLinkServiceConnectionState": map[string]any{"status": p.status, "description": "please", "actionsRequired": "None"},
		}
		if p.groups != nil {
			props["groupIds"] = p.groups
		}
		out = append(out, map[string]any{"id": p.id(), "name": p.peName, "properties": props})
	}
	raw, err := json.Marshal(out)
	require.NoError(t, err)
	return string(raw)
}

func approveCall(p pec) string {
	return "az network private-endpoint-connection approve --id " + p.id() + " "
}

func TestManagedPrivateEndpointApprovals(t *testing.T) {
	lake := pec{storageID, adfLake, managedSub, "Pending", []string{"dfs"}}
	synapse := pec{storageID, synapseLake, managedSub, "Pending", []string{"dfs"}}
	databricks := pec{databricksID, adfDatabricks, managedSub, "Pending", []string{"databricks_ui_api"}}
	vault := pec{vaultID, adfVault, managedSub, "Pending", nil} // the factory no longer has this endpoint
	stranger := pec{storageID, "someone-elses-endpoint", "99999999-9999-9999-9999-999999999999", "Pending", []string{"blob"}}
	env := func(storage, databricksPecs string, extra ...string) []string {
		return append([]string{"FAKE_STORAGE_PECS=" + storage, "FAKE_DATABRICKS_PECS=" + databricksPecs, "FAKE_VAULT_PECS=" + pecsJSON(t, vault),
			"PE_WAIT_SECONDS=0", "PE_POLL_SECONDS=0"}, extra...)
	}

	t.Run("approves exactly the platform's own pending connections", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "approve-managed-endpoints.sh",
			env(pecsJSON(t, stranger, lake, synapse), pecsJSON(t, databricks)), writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		for _, p := range []pec{lake, synapse, databricks} {
			require.Contains(t, r.log, approveCall(p))
		}
		require.NotContains(t, r.log, approveCall(stranger))
		require.NotContains(t, r.log, "kv-ca-dev", "no endpoint to the vault: its connections are not read, let alone approved")
		require.Equal(t, 3, strings.Count(r.log, "private-endpoint-connection approve"))
		require.Contains(t, r.out, "::warning::left Pending on stcadev (not a managed private endpoint of this platform)")
		require.Contains(t, r.out, "someone-elses-endpoint")
	})
	t.Run("already approved: nothing to do", func(t *testing.T) {
		done := func(p pec) pec { p.status = "Approved"; return p }
		r := runScript(t, t.TempDir(), "approve-managed-endpoints.sh",
			env(pecsJSON(t, done(lake), done(synapse)), pecsJSON(t, done(databricks))), writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.NotContains(t, r.log, "approve")
		require.NotContains(t, r.out, "::warning::")
	})
	for name, tc := range map[string]struct {
		storage    []pec
		databricks []pec
		want       string
	}{
		"an endpoint in our own subscription is not a managed one": {
			storage: []pec{{storageID, adfLake, ourSubscription, "Pending", []string{"dfs"}}, synapse}, databricks: []pec{databricks},
			want: "not approving adf-ca-dev.lake-dfs on stcadev: endpoint-in-the-deployment-subscription"},
		"two connections claim one endpoint name": {
			storage:    []pec{lake, {storageID, adfLake, "99999999-9999-9999-9999-999999999999", "Pending", []string{"dfs"}}, synapse},
			databricks: []pec{databricks}, want: "2-connections-for-one-endpoint-name"},
		"a pending duplicate of an approved endpoint": {
			storage:    []pec{{storageID, adfLake, managedSub, "Approved", []string{"dfs"}}, {storageID + "x", adfLake, managedSub, "Pending", []string{"dfs"}}, synapse},
			databricks: []pec{databricks}, want: "2-connections-for-one-endpoint-name"},
		"the wrong sub-resource": {
			storage: []pec{{storageID, adfLake, managedSub, "Pending", []string{"blob"}}, synapse}, databricks: []pec{databricks},
			want: "group-blob-is-not-dfs"},
		"the databricks endpoint asks for the browser sub-resource": {
			storage: []pec{lake, synapse}, databricks: []pec{{databricksID, adfDatabricks, managedSub, "Pending", []string{"browser_authentication"}}},
			want: "not approving adf-ca-dev.databricks on dbw-ca-dev: group-browser_authentication-is-not-databricks_ui_api"},
		"a rejected connection needs a human": {
			storage: []pec{lake, synapse}, databricks: []pec{{databricksID, adfDatabricks, managedSub, "Rejected", []string{"databricks_ui_api"}}},
			want: "not approving adf-ca-dev.databricks on dbw-ca-dev: state-Rejected"},
		"a connection that never arrived": {
			storage: []pec{lake, synapse}, databricks: nil,
			want: "no private endpoint connection for managed private endpoint adf-ca-dev.databricks on dbw-ca-dev after 0s"},
	} {
		t.Run(name, func(t *testing.T) {
			dbx := "[]"
			if tc.databricks != nil {
				dbx = pecsJSON(t, tc.databricks...)
			}
			r := runScript(t, t.TempDir(), "approve-managed-endpoints.sh", env(pecsJSON(t, tc.storage...), dbx), writeOutputs(t, nil))
			require.Equal(t, 1, r.code, r.out)
			require.Contains(t, r.out, tc.want)
			// Nothing suspicious is ever approved; the connections refused here are not either.
			for _, p := range append(tc.storage, tc.databricks...) {
				if p.sub != managedSub || p.status != "Pending" || (p.groups != nil && p.groups[0] != "dfs" && p.groups[0] != "databricks_ui_api") {
					require.NotContains(t, r.log, approveCall(p))
				}
			}
			if strings.Contains(name, "two connections") || strings.Contains(name, "duplicate") {
				require.NotContains(t, r.log, "private-endpoint-connection approve --id "+storageID)
			}
		})
	}
}

// The endpoint names the approval script expects are the ones the program creates.
func TestApprovedEndpointNamesMatchTheProgram(t *testing.T) {
	script := readFile(t, ".github", "scripts", "approve-managed-endpoints.sh")
	orchestration := readFile(t, "components", "orchestration.go")
	warehouse := readFile(t, "components", "warehouse.go")
	for key, target := range map[string]string{"lake-dfs": `p\.StorageAccountID, "dfs"`} {
		require.Regexp(t, regexp.MustCompile(`"`+key+`":\s*\{`+target+`\}`), orchestration,
			"components/orchestration.go no longer creates managed private endpoint %q; update approve-managed-endpoints.sh", key)
		require.Contains(t, script, `$factory.`+key+`|`)
	}
	require.Contains(t, warehouse, "CreateManagedPrivateEndpoint: pulumi.Bool(private)")
	require.Contains(t, script, `$workspace.synapse-ws-custstgacct--$workspace-$account|dfs`)
	require.Regexp(t, `ManagedEndpointDatabricks:\s*\{p\.DatabricksWorkspaceID, "databricks_ui_api"\}`, orchestration)
	require.Regexp(t, `ManagedEndpointDatabricks = "databricks"`, orchestration)
	require.Contains(t, script, `$databricks_type|$databricks|$factory.databricks|databricks_ui_api`)
	require.NotRegexp(t, `args\.Identity\.KeyVaultID, "vault"`, orchestration, "an endpoint to the vault needs a linked service reading a secret, and an approval")
	require.NotContains(t, script, `$factory.vault|`)
}

// fakeToken is a JWT whose payload carries claims (the signature is not checked by anyone here).
func fakeToken(t *testing.T, claims map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(claims)
	require.NoError(t, err)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc.EncodeToString(raw) + ".c2lnbmF0dXJl"
}

func TestSynapseRolesAreGrantedOnce(t *testing.T) {
	const deployer = "0a1b2c3d-0000-4000-8000-00000000d00d"
	const engineers = "00000000-0000-0000-0000-00000000000e"
	grantEngineers := `az synapse role assignment create --workspace-name syn-ca-dev --role Synapse Administrator --assignee-object-id ` +
		engineers + ` --assignee-principal-type Group`
	grantDeployer := `az synapse role assignment create --workspace-name syn-ca-dev --role Synapse SQL Administrator --assignee-object-id ` +
		deployer + ` --assignee-principal-type ServicePrincipal`
	token := "FAKE_TOKEN=" + fakeToken(t, map[string]any{"aud": "https://management.azure.com/", "oid": deployer})

	t.Run("the workspace creator only adds the engineers", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "synapse-roles.sh",
			[]string{token, "FAKE_SYNAPSE_ROLES=Synapse Administrator|" + deployer}, writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.out, "the deploy identity "+deployer+" is a Synapse Administrator")
		require.Contains(t, r.log, grantEngineers)
		require.Equal(t, 1, strings.Count(r.log, "role assignment create"))
		require.Less(t, strings.Index(r.log, "role assignment list"), strings.Index(r.log, "role assignment create"),
			"assignments are listed before anything is created")
	})
	t.Run("everything in place: no change", func(t *testing.T) {
		for _, claims := range []map[string]any{{"oid": deployer}, {"oid": deployer, "tid": "t", "appid": "app"}} {
			r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{"FAKE_TOKEN=" + fakeToken(t, claims),
				"FAKE_SYNAPSE_ROLES=Synapse SQL Administrator|" + deployer + ";Synapse Administrator|" + engineers}, writeOutputs(t, nil))
			require.Equal(t, 0, r.code, r.out)
			require.NotContains(t, r.log, "role assignment create")
		}
	})
	t.Run("a deploy identity without a role gets SQL admin, then the engineers are added", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{token, "SYNAPSE_ROLE_PROPAGATION_SECONDS=0"}, writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.Contains(t, r.log, grantDeployer)
		require.Contains(t, r.log, grantEngineers)
		require.Less(t, strings.Index(r.log, grantDeployer), strings.Index(r.log, grantEngineers))
	})
	t.Run("the object id can be given", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{"DEPLOY_PRINCIPAL_OBJECT_ID=" + deployer,
			"FAKE_SYNAPSE_ROLES=Synapse Administrator|" + deployer + ";Synapse Administrator|" + engineers}, writeOutputs(t, nil))
		require.Equal(t, 0, r.code, r.out)
		require.NotContains(t, r.log, "get-access-token")
	})
	t.Run("not allowed to grant: a clear error", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{token, "FAKE_SYNAPSE_DENIED=1"}, writeOutputs(t, nil))
		require.Equal(t, 1, r.code, r.out)
		require.Contains(t, r.out, "only a Synapse Administrator of the workspace")
		require.NotContains(t, r.log, "--assignee-principal-type Group", "the engineers are not attempted after the deploy identity failed")
	})
	t.Run("no object id in the token", func(t *testing.T) {
		r := runScript(t, t.TempDir(), "synapse-roles.sh", []string{"FAKE_TOKEN=" + fakeToken(t, map[string]any{"sub": "x"})}, writeOutputs(t, nil))
		require.Equal(t, 1, r.code, r.out)
		require.Contains(t, r.out, "could not determine the deploy identity's object id")
		require.NotContains(t, r.log, "synapse role")
	})
}
