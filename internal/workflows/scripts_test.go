package workflows

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The .github/scripts the workflows call are run here against fake `az` and `curl` commands, so
// their logic (what they check, when they fail, what they create and remove) is tested offline.

// fakeAz answers the az commands the scripts issue with a healthy dev stack; FAKE_* variables
// break one answer. Every call is logged to $FAKE_LOG. What a call changes (a trigger started or
// stopped, a connection approved, a Synapse role granted) is kept under $FAKE_STATE, so later
// calls see it as Azure would:
//
//	FAKE_TRIGGER_STATE       Started | Stopped | absent (default): the ADF trigger at the start
//	FAKE_START_FAILURES      how many `trigger start` calls fail before one succeeds
//	FAKE_NO_DATAFACTORY_EXT  set: the datafactory extension is not installed
//	FAKE_STORAGE_PECS, FAKE_VAULT_PECS, FAKE_DATABRICKS_PECS  private endpoint connections (JSON arrays)
//	FAKE_SYNAPSE_ROLES       "role|objectId" pairs held at workspace scope, ';'-separated
//	FAKE_SYNAPSE_DENIED      set: creating a Synapse role assignment is forbidden
//	FAKE_TOKEN               what `az account get-access-token --query accessToken` prints
//	FAKE_GRAPH_TOKEN         what `az account get-access-token --resource-type ms-graph` prints
//	FAKE_UC_NO_METASTORE     set: the Databricks workspace has no Unity Catalog metastore assigned
//	FAKE_UC_OWNER            the metastore's owner (default: a group, uc-admins)
//	FAKE_UC_PRIVILEGES       the deploy app's privileges on the metastore, space-separated (default: the three it needs)
//	FAKE_UC_GROUPS           JSON object: group display name -> meta.resourceType in the workspace (default: none)
const fakeAz = `#!/usr/bin/env bash
echo "az $*" >>"$FAKE_LOG"
state="${FAKE_STATE:?}"
[[ -f "$state/trigger" ]] || echo "${FAKE_TRIGGER_STATE:-absent}" >"$state/trigger"
[[ -f "$state/approved" ]] || : >"$state/approved"
if [[ ! -f "$state/synapse" ]]; then
  : >"$state/synapse"
  IFS=';' read -ra held <<<"${FAKE_SYNAPSE_ROLES:-}"
  for pair in "${held[@]}"; do echo "$pair" >>"$state/synapse"; done
fi
# arg NAME ARGS...: the value after NAME.
arg() { local want="$1"; shift; while (($#)); do [[ "$1" == "$want" ]] && { echo "$2"; return; }; shift; done; }
# pecs JSON: the connections, with the ones approved so far marked Approved.
pecs() { jq -c --rawfile ok "$state/approved" '[.[] | if (.id as $id | $ok | split("\n") | index($id)) != null
  then .properties.privateLinkServiceConnectionState.status = "Approved" else . end]' <<<"$1"; }
case "$*" in
"extension show --name datafactory "*) [[ -z "${FAKE_NO_DATAFACTORY_EXT:-}" ]] ;;
"extension add --name datafactory --yes "*) ;;
"datafactory trigger list --factory-name adf-ca-dev --resource-group rg-ca-dev --query [?name=='DailyAt0200UTC'].properties.runtimeState | [0] "*)
  t="$(cat "$state/trigger")"; [[ "$t" == absent ]] || echo "$t" ;;
"datafactory trigger show --factory-name adf-ca-dev --resource-group rg-ca-dev --name DailyAt0200UTC "*) cat "$state/trigger" ;;
"datafactory trigger stop --factory-name adf-ca-dev --resource-group rg-ca-dev --name DailyAt0200UTC "*) echo Stopped >"$state/trigger" ;;
"datafactory trigger start --factory-name adf-ca-dev --resource-group rg-ca-dev --name DailyAt0200UTC "*)
  n=$(grep -c "trigger start" "$FAKE_LOG")
  if ((n <= ${FAKE_START_FAILURES:-0})); then echo "ERROR: Resource cannot be updated during provisioning" >&2; exit 1; fi
  echo Started >"$state/trigger" ;;
"account show --query id "*) echo 00000000-0000-0000-0000-0000000000aa ;;
"network private-endpoint-connection list --resource-group rg-ca-dev --name stcadev --type Microsoft.Storage/storageAccounts "*)
  pecs "${FAKE_STORAGE_PECS:-[]}" ;;
"network private-endpoint-connection list --resource-group rg-ca-dev --name kv-ca-dev --type Microsoft.KeyVault/vaults "*)
  pecs "${FAKE_VAULT_PECS:-[]}" ;;
"network private-endpoint-connection list --resource-group rg-ca-dev --name dbw-ca-dev --type Microsoft.Databricks/workspaces "*)
  pecs "${FAKE_DATABRICKS_PECS:-[]}" ;;
"network private-endpoint-connection approve --id "*) echo "$5" >>"$state/approved" ;;
"account get-access-token --resource https://management.azure.com/ --query accessToken "*) echo "${FAKE_TOKEN:-}" ;;
"account get-access-token --resource-type ms-graph --query accessToken "*) echo "${FAKE_GRAPH_TOKEN:-}" ;;
"synapse role assignment list --workspace-name syn-ca-dev "*)
  pair="$(arg --role "$@")|$(arg --assignee-object-id "$@")"
  if grep -qxF "$pair" "$state/synapse"; then echo 1; else echo 0; fi ;;
"synapse role assignment create --workspace-name syn-ca-dev "*)
  if [[ -n "${FAKE_SYNAPSE_DENIED:-}" ]]; then echo "ERROR: (Forbidden) not authorized" >&2; exit 1; fi
  echo "$(arg --role "$@")|$(arg --assignee-object-id "$@")" >>"$state/synapse" ;;
"group show --name rg-ca-dev "*) echo '{"state":"Succeeded"}' ;;
"storage account show "*) echo '{"hns":true,"tls":"TLS1_2","publicBlob":false}' ;;
"storage container-rm list "*) echo "${FAKE_CONTAINERS:-[\"bronze\",\"silver\",\"gold\",\"scripts\"]}" ;;
"keyvault show "*) echo "{\"rbac\":${FAKE_KV_RBAC:-true},\"uri\":\"https://kv-ca-dev.vault.azure.net/\"}" ;;
"resource show --resource-group rg-ca-dev --namespace Microsoft.DataFactory "*) echo '{"name":"CustomerAnalyticsPipeline"}' ;;
"resource show --resource-group rg-ca-dev --name adf-ca-dev "*) echo /subscriptions/s/resourceGroups/rg-ca-dev/providers/Microsoft.DataFactory/factories/adf-ca-dev ;;
"resource list "*) echo '["/subscriptions/s/resourceGroups/rg-ca-dev/providers/Microsoft.Databricks/workspaces/dbw-ca-dev"]' ;;
"resource show --ids "*Databricks*) echo '{"url":"adb-123.4.azuredatabricks.net","state":"Succeeded"}' ;;
"resource show --ids "*) echo "{\"id\":\"$4\"}" ;;
"synapse workspace show --name syn-ca-dev --resource-group rg-ca-dev --query publicNetworkAccess "*) echo "${FAKE_SYNAPSE_PUBLIC:-Enabled}" ;;
"synapse workspace show "*) echo '{"state":"Succeeded","serverless":"syn-ca-dev-ondemand.sql.azuresynapse.net"}' ;;
"synapse workspace firewall-rule create "*) ;;
"synapse workspace firewall-rule show "*) [[ -n "${FAKE_RULE_EXISTS:-}" ]] ;;
"synapse workspace firewall-rule delete "*) ;;
"ad group show --group "*) echo "{\"id\":\"$5\"}" ;;
"rest --method get --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --url https://adb-123.4.azuredatabricks.net/api/"*)
  url="$(arg --url "$@")"
  case "$url" in
  */current-metastore-assignment)
    if [[ -n "${FAKE_UC_NO_METASTORE:-}" ]]; then echo "ERROR: (NotFound) No metastore assigned for the current workspace." >&2; exit 1; fi
    echo '{"workspace_id":1234,"metastore_id":"ms-1","default_catalog_name":"main"}' ;;
  */metastore_summary) jq -cn --arg o "${FAKE_UC_OWNER:-uc-admins}" '{metastore_id: "ms-1", owner: $o}' ;;
  *"/effective-permissions/metastore/ms-1?principal=${ARM_CLIENT_ID:-none}")
    jq -cn --arg p "${FAKE_UC_PRIVILEGES-CREATE_CATALOG CREATE_EXTERNAL_LOCATION CREATE_STORAGE_CREDENTIAL}" \
      '{privilege_assignments: [{principal: "deploy", privileges: ($p | split(" ") | map(select(. != "") | {privilege: .}))}]}' ;;
  */scim/v2/Groups\?filter=*)
    groups="${FAKE_UC_GROUPS:-}"; [[ -n "$groups" ]] || groups='{}'
    jq -cn --argjson g "$groups" --arg url "$url" '{Resources: [$g | to_entries[] | . as $e
      | select($url | contains("filter=" + ("displayName eq \"" + $e.key + "\"" | @uri) + "&"))
      | {displayName: $e.key, meta: {resourceType: $e.value}}]}' ;;
  *) echo "fake az: unexpected Databricks API call: $url" >&2; exit 2 ;;
  esac ;;
"rest --method post "*createRun*) echo run-1 ;;
"rest --method get "*"--query status "*)
  n=$(wc -l <"$FAKE_LOG")
  if ((n >= ${FAKE_RUN_DONE_AFTER:-4})); then echo "${FAKE_RUN_RESULT:-Succeeded}"; else echo InProgress; fi ;;
"rest --method get "*"--query message "*) echo "activity bronze_to_silver failed" ;;
*) echo "fake az: unexpected call: az $*" >&2; exit 2 ;;
esac
`

var healthyOutputs = map[string]any{
	"resourceGroupName":         "rg-ca-dev",
	"storageAccountName":        "stcadev",
	"dfsEndpoint":               "https://stcadev.dfs.core.windows.net/",
	"keyVaultName":              "kv-ca-dev",
	"keyVaultUri":               "https://kv-ca-dev.vault.azure.net",
	"dataFactoryName":           "adf-ca-dev",
	"pipelineName":              "CustomerAnalyticsPipeline",
	"databricksWorkspaceUrl":    "https://adb-123.4.azuredatabricks.net/",
	"databricksWorkspaceName":   "dbw-ca-dev",
	"synapseWorkspaceName":      "syn-ca-dev",
	"synapseServerlessEndpoint": "syn-ca-dev-ondemand.sql.azuresynapse.net",
	"logAnalyticsWorkspaceId":   "/subscriptions/s/resourceGroups/rg-ca-dev/providers/Microsoft.OperationalInsights/workspaces/log-ca-dev",
	"triggerName":               "DailyAt0200UTC",
	"triggerEnabled":            true,
	"groupObjectIds": map[string]string{
		"engineers": "00000000-0000-0000-0000-00000000000e",
		"analysts":  "00000000-0000-0000-0000-00000000000a",
		"admins":    "00000000-0000-0000-0000-00000000000d",
	},
}

type scriptRun struct {
	out      string
	code     int
	log      string
	ghOutput string // what the script wrote to $GITHUB_OUTPUT
}

// runScript runs a .github/scripts script in dir with the fake az and curl first on PATH.
func runScript(t *testing.T, dir, script string, env []string, args ...string) scriptRun {
	t.Helper()
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required to test the workflow scripts", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	bin := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bin, "az"), []byte(fakeAz), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "curl"), []byte("#!/usr/bin/env bash\necho 198.51.100.7\n"), 0o755))
	log := filepath.Join(t.TempDir(), "calls.log")
	require.NoError(t, os.WriteFile(log, nil, 0o600))
	ghOutput := filepath.Join(t.TempDir(), "github-output")
	require.NoError(t, os.WriteFile(ghOutput, nil, 0o600))

	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot(t), ".github", "scripts", script)}, args...)...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + t.TempDir(), "FAKE_LOG=" + log, "FAKE_STATE=" + t.TempDir(), "GITHUB_OUTPUT=" + ghOutput,
		"GITHUB_RUN_ID=42", "GITHUB_RUN_ATTEMPT=1"}, env...)
	out, code := runCommand(t, cmd)
	calls, readErr := os.ReadFile(log)
	require.NoError(t, readErr)
	written, readErr := os.ReadFile(ghOutput)
	require.NoError(t, readErr)
	return scriptRun{out: out, code: code, log: string(calls), ghOutput: string(written)}
}

func writeOutputs(t *testing.T, change func(map[string]any)) string {
	t.Helper()
	outputs := map[string]any{}
	for k, v := range healthyOutputs {
		outputs[k] = v
	}
	if change != nil {
		change(outputs)
	}
	raw, err := json.Marshal(outputs)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(path, raw, 0o600))
	return path
}

func TestSmokeCheckPassesOnAHealthyStack(t *testing.T) {
	r := runScript(t, t.TempDir(), "smoke-check.sh", nil, writeOutputs(t, nil))
	require.Equal(t, 0, r.code, r.out)
	require.Contains(t, r.out, "smoke: all checks passed")
	require.NotContains(t, r.out, "::error::")
}

func TestSmokeCheckFailsOnWhatIsWrong(t *testing.T) {
	for name, tc := range map[string]struct {
		outputs func(map[string]any)
		env     []string
		want    string
		noAzure bool
	}{
		"missing output": {outputs: func(o map[string]any) { delete(o, "synapseServerlessEndpoint") },
			want: "stack output 'synapseServerlessEndpoint' is missing", noAzure: true},
		"missing group": {outputs: func(o map[string]any) { o["groupObjectIds"] = map[string]string{"engineers": "e", "analysts": "a"} },
			want: "groupObjectIds.admins", noAzure: true},
		"renamed pipeline": {outputs: func(o map[string]any) { o["pipelineName"] = "Pipeline1" },
			want: "want CustomerAnalyticsPipeline", noAzure: true},
		"missing gold container":         {env: []string{`FAKE_CONTAINERS=["bronze","silver","scripts"]`}, want: "no container 'gold'"},
		"key vault with access policies": {env: []string{"FAKE_KV_RBAC=false"}, want: "enableRbacAuthorization: got 'false'"},
		"wrong serverless endpoint": {outputs: func(o map[string]any) { o["synapseServerlessEndpoint"] = "other-ondemand.sql.azuresynapse.net" },
			want: "serverless endpoint"},
	} {
		t.Run(name, func(t *testing.T) {
			r := runScript(t, t.TempDir(), "smoke-check.sh", tc.env, writeOutputs(t, tc.outputs))
			require.Equal(t, 1, r.code, r.out)
			require.Contains(t, r.out, tc.want)
			if tc.noAzure {
				require.Empty(t, r.log, "bad outputs must stop the check before Azure is queried")
			}
		})
	}
}

func TestPreflightNamesWhatIsMissing(t *testing.T) {
	good := "secretsprovider: azurekeyvault://kv-pulumi.vault.azure.net/keys/pulumi-dev\nencryptedkey: ZXhhbXBsZQ==\nconfig:\n  customer-analytics:environment: dev\n"
	vars := []string{"PULUMI_BACKEND_URL=azblob://pulumi-state?storage_account=stcapulumi",
		"ARM_CLIENT_ID=c", "ARM_TENANT_ID=t", "ARM_SUBSCRIPTION_ID=s"}
	for name, tc := range map[string]struct {
		stackFile string
		env       []string
		want      string
	}{
		"bootstrapped":          {good, vars, "preflight (dev): ok"},
		"no secrets provider":   {"config: {}\n", vars, "no 'secretsprovider: azurekeyvault://"},
		"passphrase provider":   {strings.Replace(good, "azurekeyvault://kv-pulumi.vault.azure.net/keys/pulumi-dev", "passphrase", 1), vars, "no 'secretsprovider: azurekeyvault://"},
		"variable not set":      {good, vars[:3], "ARM_SUBSCRIPTION_ID is empty"},
		"backend is not azblob": {good, append([]string{"PULUMI_BACKEND_URL=s3://state"}, vars[1:]...), "must be an azblob:// URL"},
		"no encrypted data key": {strings.Replace(good, "encryptedkey: ZXhhbXBsZQ==\n", "", 1), vars, "no 'encryptedkey:'"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte(tc.stackFile), 0o600))
			r := runScript(t, dir, "preflight.sh", tc.env, "dev")
			require.Contains(t, r.out, tc.want)
			require.Equal(t, name == "bootstrapped", r.code == 0, r.out)
		})
	}
}

// graphToken is an unsigned JWT whose roles claim holds the given Graph application permissions.
func graphToken(t *testing.T, roles ...string) string {
	t.Helper()
	payload, err := json.Marshal(map[string]any{"aud": "https://graph.microsoft.com", "roles": roles})
	require.NoError(t, err)
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString(payload) + ".sig"
}

// TestPreflightChecksGraphPermissions: with --graph the preflight reads the deploy app's Graph token and
// names each missing application permission (issue 9, item 1: the docs, the script and the code agree).
func TestPreflightChecksGraphPermissions(t *testing.T) {
	all := []string{"Group.Create", "User.Read.All", "Application.ReadWrite.OwnedBy"}
	ok := runScript(t, t.TempDir(), "preflight.sh", []string{"FAKE_GRAPH_TOKEN=" + graphToken(t, all...)}, "prod", "--graph")
	require.Equal(t, 0, ok.code, ok.out)
	require.Contains(t, ok.out, "Graph permissions ok")
	require.Contains(t, ok.log, "account get-access-token --resource-type ms-graph")

	missing := runScript(t, t.TempDir(), "preflight.sh", []string{"FAKE_GRAPH_TOKEN=" + graphToken(t, "Group.Create", "Directory.Read.All")}, "prod", "--graph")
	require.Equal(t, 1, missing.code, missing.out)
	require.Contains(t, missing.out, "lacks the Microsoft Graph application permission User.Read.All")
	require.Contains(t, missing.out, "lacks the Microsoft Graph application permission Application.ReadWrite.OwnedBy")
	require.NotContains(t, missing.out, "permission Group.Create")

	noToken := runScript(t, t.TempDir(), "preflight.sh", nil, "prod", "--graph")
	require.Equal(t, 1, noToken.code, noToken.out)
	require.Contains(t, noToken.out, "no Microsoft Graph token")
}

func TestADFPipelineRunWaitsForTheResult(t *testing.T) {
	outputs := writeOutputs(t, nil)
	ok := runScript(t, t.TempDir(), "run-adf-pipeline.sh", []string{"ADF_POLL_SECONDS=0"}, outputs, "1")
	require.Equal(t, 0, ok.code, ok.out)
	require.Contains(t, ok.log, "pipelines/CustomerAnalyticsPipeline/createRun")
	require.Contains(t, ok.out, "InProgress", "it polled at least once before the run finished")

	failed := runScript(t, t.TempDir(), "run-adf-pipeline.sh", []string{"ADF_POLL_SECONDS=0", "FAKE_RUN_RESULT=Failed"}, outputs, "1")
	require.Equal(t, 1, failed.code, failed.out)
	require.Contains(t, failed.out, "ended Failed: activity bronze_to_silver failed")
}

func TestSynapseFirewallOpensForTheRunnerAndCloses(t *testing.T) {
	outputs := writeOutputs(t, nil)
	open := runScript(t, t.TempDir(), "synapse-firewall.sh", nil, "open", outputs)
	require.Equal(t, 0, open.code, open.out)
	require.Contains(t, open.log, "firewall-rule create --name github-actions-42-1 --workspace-name syn-ca-dev --resource-group rg-ca-dev --start-ip-address 198.51.100.7 --end-ip-address 198.51.100.7")

	private := runScript(t, t.TempDir(), "synapse-firewall.sh", []string{"FAKE_SYNAPSE_PUBLIC=Disabled"}, "open", outputs)
	require.Equal(t, 1, private.code, private.out)
	require.Contains(t, private.out, "public network access disabled")
	require.NotContains(t, private.log, "firewall-rule create")

	closed := runScript(t, t.TempDir(), "synapse-firewall.sh", []string{"FAKE_RULE_EXISTS=1"}, "close", outputs)
	require.Equal(t, 0, closed.code, closed.out)
	require.Contains(t, closed.log, "firewall-rule delete --name github-actions-42-1")

	nothing := runScript(t, t.TempDir(), "synapse-firewall.sh", nil, "close", outputs)
	require.Equal(t, 0, nothing.code, nothing.out)
	require.NotContains(t, nothing.log, "firewall-rule delete")
}
