#!/usr/bin/env bash
# Post-deploy smoke check of one stack, through the Azure control plane only (so it also works
# against prod, whose data plane is private): every contracted stack output is present, and the
# resources the outputs name exist in the state the design promises.
#
# usage: smoke-check.sh OUTPUTS_JSON      (the file `pulumi stack output --json` wrote)
# needs: az (logged in), jq
set -euo pipefail

outputs="${1:?usage: smoke-check.sh OUTPUTS_JSON}"
failures=0
fail() {
  echo "::error::smoke: $*"
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# out KEY: a stack output as text ("" when missing); objects come back as compact JSON.
out() { jq -r --arg k "$1" '.[$k] // empty | if type == "object" then tojson else tostring end' "$outputs"; }
# norm URL: lower case, no scheme, no trailing slash, for comparing endpoints.
norm() { local v="${1,,}"; v="${v#https://}"; v="${v#http://}"; echo "${v%/}"; }

# 1. Outputs: the contract other tooling (make synapse-sql, this script, runbooks) relies on.
required=(resourceGroupName storageAccountName dfsEndpoint keyVaultName keyVaultUri dataFactoryName
  pipelineName databricksWorkspaceUrl synapseWorkspaceName synapseServerlessEndpoint
  logAnalyticsWorkspaceId groupObjectIds)
for key in "${required[@]}"; do
  [[ -n "$(out "$key")" ]] || fail "stack output '$key' is missing or empty"
done
for group in engineers analysts admins; do
  [[ -n "$(jq -r --arg g "$group" '.groupObjectIds[$g] // empty' "$outputs")" ]] ||
    fail "stack output groupObjectIds.$group is missing or empty"
done
if [[ -n "$(out pipelineName)" && "$(out pipelineName)" != CustomerAnalyticsPipeline ]]; then
  fail "pipelineName is '$(out pipelineName)', want CustomerAnalyticsPipeline"
fi
if ((failures > 0)); then
  echo "smoke: $failures problem(s) with the stack outputs; Azure not checked" >&2
  exit 1
fi
ok "all ${#required[@]} stack outputs present"

rg="$(out resourceGroupName)"

# expect WHAT GOT WANT
expect() {
  if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1: got '$2', want '$3'"; fi
}
# azj ARGS...: an az query as compact JSON ("null" when the command fails; az prints why).
azj() {
  local json
  if json="$(az "$@" --output json)"; then jq -c . <<<"$json"; else echo null; fi
}
field() { jq -r "$1" <<<"$2"; }

# 2. Resource group.
j="$(azj group show --name "$rg" --query '{state: properties.provisioningState}')"
expect "resource group $rg provisioningState" "$(field .state "$j")" Succeeded

# 3. Data lake: hierarchical namespace, TLS 1.2, no public blob access, the medallion containers.
sa="$(out storageAccountName)"
j="$(azj storage account show --name "$sa" --resource-group "$rg" \
  --query '{hns: isHnsEnabled, tls: minimumTlsVersion, publicBlob: allowBlobPublicAccess}')"
expect "storage $sa isHnsEnabled" "$(field .hns "$j")" true
expect "storage $sa minimumTlsVersion" "$(field .tls "$j")" TLS1_2
expect "storage $sa allowBlobPublicAccess" "$(field .publicBlob "$j")" false
j="$(azj storage container-rm list --storage-account "$sa" --resource-group "$rg" --query '[].name')"
for container in bronze silver gold scripts; do
  if jq -e --arg c "$container" 'index($c) != null' <<<"$j" >/dev/null 2>&1; then
    ok "storage $sa container $container"
  else
    fail "storage $sa has no container '$container'"
  fi
done

# 4. Key Vault in RBAC mode at the exported URI.
kv="$(out keyVaultName)"
j="$(azj keyvault show --name "$kv" --resource-group "$rg" \
  --query '{rbac: properties.enableRbacAuthorization, uri: properties.vaultUri}')"
expect "key vault $kv enableRbacAuthorization" "$(field .rbac "$j")" true
expect "key vault $kv vaultUri" "$(norm "$(field .uri "$j")")" "$(norm "$(out keyVaultUri)")"

# 5. Data Factory pipeline.
df="$(out dataFactoryName)"
pipeline="$(out pipelineName)"
j="$(azj resource show --resource-group "$rg" --namespace Microsoft.DataFactory --parent "factories/$df" \
  --resource-type pipelines --name "$pipeline" --query '{name: name}')"
expect "data factory $df pipeline" "$(field .name "$j")" "$pipeline"

# 6. Databricks workspace at the exported URL.
want="$(norm "$(out databricksWorkspaceUrl)")"
state="not found"
for id in $(field '.[]?' "$(azj resource list --resource-group "$rg" \
  --resource-type Microsoft.Databricks/workspaces --query '[].id')"); do
  j="$(azj resource show --ids "$id" \
    --query '{url: properties.workspaceUrl, state: properties.provisioningState}')"
  if [[ "$(norm "$(field .url "$j")")" == "$want" ]]; then state="$(field .state "$j")"; fi
done
expect "databricks workspace $want provisioningState" "$state" Succeeded

# 7. Synapse workspace and its serverless endpoint.
ws="$(out synapseWorkspaceName)"
j="$(azj synapse workspace show --name "$ws" --resource-group "$rg" \
  --query '{state: provisioningState, serverless: connectivityEndpoints.sqlOnDemand}')"
expect "synapse workspace $ws provisioningState" "$(field .state "$j")" Succeeded
expect "synapse workspace $ws serverless endpoint" "$(norm "$(field .serverless "$j")")" \
  "$(norm "$(out synapseServerlessEndpoint)")"

# 8. Log Analytics (the output may be the ARM id or the workspace (customer) id).
law="$(out logAnalyticsWorkspaceId)"
if [[ "$law" == /subscriptions/* ]]; then
  j="$(azj resource show --ids "$law" --query '{id: id}')"
  expect "log analytics workspace" "$(field '.id | ascii_downcase' "$j")" "${law,,}"
else
  j="$(azj monitor log-analytics workspace list --resource-group "$rg" --query '[].customerId')"
  expect "log analytics workspace $law" "$(jq -r --arg w "$law" 'index($w) != null' <<<"$j")" true
fi

# 9. Entra groups.
for group in engineers analysts admins; do
  oid="$(jq -r --arg g "$group" '.groupObjectIds[$g]' "$outputs")"
  j="$(azj ad group show --group "$oid" --query '{id: id}')"
  expect "entra group $group" "$(field .id "$j")" "$oid"
done

if ((failures > 0)); then
  echo "smoke: $failures problem(s)" >&2
  exit 1
fi
echo "smoke: all checks passed"
