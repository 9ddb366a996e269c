#!/usr/bin/env bash
# Approve, on the storage account and the Databricks workspace, the private endpoint connections that
# the platform's own managed virtual networks request (private network mode, i.e. prod):
#
#   target            group  managed private endpoint (created by)
#   storage account   dfs    lake-dfs (Data Factory, components/orchestration.go)
#   storage account   dfs    synapse-ws-custstgacct--<workspace>-<account> (Synapse, for its
#                            default data lake; components/warehouse.go)
#   databricks        databricks_ui_api  databricks (Data Factory; the notebook activities reach the
#                     workspace, whose public access is disabled, only through it)
#
# Managed private endpoints live in a Microsoft-managed subscription, and their connections arrive
# Pending on the target until its owner approves them. Anyone who knows a resource id can request
# a connection to it, so this script approves a connection only when ALL of these hold:
#   1. its private endpoint is named exactly <factory>.<name> or <workspace>.<name> for one of the
#      managed private endpoints above (the name the owning service gives the endpoint);
#   2. exactly one connection on the target has that endpoint name (two means someone else asked
#      under the same name: nothing is approved, a human decides);
#   3. the endpoint is in another subscription than the deployment's (managed VNets are in
#      Microsoft's; an endpoint in our own subscription is not a managed one);
#   4. when the connection reports groupIds, they include the expected group;
#   5. its state is Pending (Approved is fine as it is; Rejected or Disconnected needs a human).
# Every other Pending connection is left alone and listed as a warning. The script waits for the
# expected connections to appear (the services create them asynchronously) and fails, listing what
# it saw, if one is missing, ambiguous or refused when the wait is over.
#
# usage: approve-managed-endpoints.sh OUTPUTS_JSON
# env:   PE_WAIT_SECONDS (default 600), PE_POLL_SECONDS (default 20)
# needs: az (logged in, Contributor or private endpoint approval rights on both targets), jq
#
# There is no endpoint to the Key Vault: no linked service reads a secret from it (components/orchestration.go).
set -euo pipefail

outputs="${1:?usage: approve-managed-endpoints.sh OUTPUTS_JSON}"
wait_seconds="${PE_WAIT_SECONDS:-600}"
poll_seconds="${PE_POLL_SECONDS:-20}"

rg="$(jq -er .resourceGroupName "$outputs")"
account="$(jq -er .storageAccountName "$outputs")"
factory="$(jq -er .dataFactoryName "$outputs")"
workspace="$(jq -er .synapseWorkspaceName "$outputs")"
databricks="$(jq -er .databricksWorkspaceName "$outputs")"
subscription="$(az account show --query id --output tsv)"

storage_type=Microsoft.Storage/storageAccounts
databricks_type=Microsoft.Databricks/workspaces
# every target whose connections the script reads
targets=("$storage_type|$account" "$databricks_type|$databricks")

# expected: target type | target name | private endpoint name | group
expected=(
  "$storage_type|$account|$factory.lake-dfs|dfs"
  "$storage_type|$account|$workspace.synapse-ws-custstgacct--$workspace-$account|dfs"
  "$databricks_type|$databricks|$factory.databricks|databricks_ui_api"
)

# connections TYPE NAME: the target's private endpoint connections as a JSON array.
connections() {
  az network private-endpoint-connection list --resource-group "$rg" --name "$2" --type "$1" --output json
}

# verdict CONNECTIONS PE GROUP: one line, "<verdict> <connection id or ->" where verdict is
# approve | approved | missing | refuse:<reason>.
verdict() {
  jq -r --arg pe "$2" --arg group "$3" --arg sub "$subscription" '
    def pe_id: .properties.privateEndpoint.id // "";
    [.[] | select((pe_id | split("/") | last) == $pe)] as $m
    | if ($m | length) == 0 then "missing -"
      elif ($m | length) > 1 then "refuse:\($m | length)-connections-for-one-endpoint-name -"
      else $m[0] as $c
        | ($c.properties.privateLinkServiceConnectionState.status // "") as $status
        | if (($c | pe_id | split("/"))[2] // "" | ascii_downcase) == ($sub | ascii_downcase) then
            "refuse:endpoint-in-the-deployment-subscription \($c.id)"
          elif ($c.properties.groupIds // null) != null and (($c.properties.groupIds | index($group)) == null) then
            "refuse:group-\($c.properties.groupIds | join(","))-is-not-\($group) \($c.id)"
          elif $status == "Pending" then "approve \($c.id)"
          elif $status == "Approved" then "approved \($c.id)"
          else "refuse:state-\($status) \($c.id)"
          end
      end' <<<"$1"
}

describe() { # CONNECTIONS: every connection, one line each, for the log
  jq -r '.[] | "  \(.properties.privateLinkServiceConnectionState.status // "?")  \(.properties.privateEndpoint.id // "?")"' <<<"$1"
}

declare -A done_=()
deadline=$((SECONDS + wait_seconds))
while true; do
  missing=()
  declare -A seen=()
  for entry in "${expected[@]}"; do
    IFS='|' read -r type name pe group <<<"$entry"
    [[ -n "${done_[$pe]:-}" ]] && continue
    if [[ -z "${seen[$type/$name]:-}" ]]; then seen[$type/$name]="$(connections "$type" "$name")"; fi
    list="${seen[$type/$name]}"
    line="$(verdict "$list" "$pe" "$group")"
    read -r what id <<<"$line"
    case "$what" in
    approve)
      az network private-endpoint-connection approve --id "$id" --output none \
        --description "Managed private endpoint $pe of this platform, approved by the deploy workflow (run ${GITHUB_RUN_ID:-local})"
      echo "approved $pe on $name ($id)"
      done_[$pe]=1
      ;;
    approved)
      echo "ok: $pe on $name is already Approved"
      done_[$pe]=1
      ;;
    missing)
      missing+=("$pe on $name")
      ;;
    refuse:*)
      echo "::error::not approving $pe on $name: ${what#refuse:} (connection ${id}); connections on $name:"
      describe "$list"
      exit 1
      ;;
    *)
      echo "::error::could not judge the connections on $name (got '$line')"
      exit 1
      ;;
    esac
  done
  unset seen
  if ((${#missing[@]} == 0)); then break; fi
  if ((SECONDS >= deadline)); then
    for m in "${missing[@]}"; do
      echo "::error::no private endpoint connection for managed private endpoint ${m} after ${wait_seconds}s"
    done
    for target in "${targets[@]}"; do
      IFS='|' read -r type name <<<"$target"
      echo "connections on $name:"
      describe "$(connections "$type" "$name")"
    done
    exit 1
  fi
  echo "waiting for: ${missing[*]}"
  sleep "$poll_seconds"
done

# Pending connections that are not ours stay Pending: list them for a human.
for target in "${targets[@]}"; do
  IFS='|' read -r type name <<<"$target"
  jq -r '.[] | select(.properties.privateLinkServiceConnectionState.status == "Pending")
         | .properties.privateEndpoint.id // "?"' <<<"$(connections "$type" "$name")" |
    while read -r other; do
      echo "::warning::left Pending on $name (not a managed private endpoint of this platform): $other"
    done
done
echo "managed private endpoint connections approved"
