#!/usr/bin/env bash
# Open (or close) the Synapse workspace firewall for this runner's public IP, around the Synapse
# role grants and the SQL apply: GitHub-hosted runners have no fixed address. One rule per workflow
# run, always removed by the `close` step (if: always()). Dev only: the prod workspace has no public
# endpoint, so the prod job (on a runner inside the network) has no firewall steps, and `open`
# refuses a workspace whose public network access is disabled.
#
# usage: synapse-firewall.sh open|close OUTPUTS_JSON
# needs: az (logged in), jq, curl; GITHUB_RUN_ID names the rule.
set -euo pipefail

action="${1:?usage: synapse-firewall.sh open|close OUTPUTS_JSON}"
outputs="${2:?usage: synapse-firewall.sh open|close OUTPUTS_JSON}"
rg="$(jq -er .resourceGroupName "$outputs")"
ws="$(jq -er .synapseWorkspaceName "$outputs")"
rule="github-actions-${GITHUB_RUN_ID:?}-${GITHUB_RUN_ATTEMPT:-1}"

case "$action" in
open)
  access="$(az synapse workspace show --name "$ws" --resource-group "$rg" \
    --query publicNetworkAccess --output tsv)"
  if [[ "${access,,}" == disabled ]]; then
    echo "::error::synapse workspace $ws has public network access disabled: there is nothing to open;" \
      "run the Synapse steps from a runner inside the network, without this step (docs/delivery.md," \
      "'Private prod: a runner inside the network')"
    exit 1
  fi
  ip="$(curl --fail --silent --show-error --max-time 20 https://api.ipify.org)"
  [[ "$ip" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
    echo "::error::could not determine this runner's public IPv4 address (got '$ip')"
    exit 1
  }
  az synapse workspace firewall-rule create --name "$rule" --workspace-name "$ws" \
    --resource-group "$rg" --start-ip-address "$ip" --end-ip-address "$ip" --output none
  echo "opened $ws firewall for $ip (rule $rule)"
  ;;
close)
  if az synapse workspace firewall-rule show --name "$rule" --workspace-name "$ws" \
    --resource-group "$rg" --output none 2>/dev/null; then
    az synapse workspace firewall-rule delete --name "$rule" --workspace-name "$ws" \
      --resource-group "$rg" --yes --output none
    echo "closed $ws firewall rule $rule"
  else
    echo "no firewall rule $rule on $ws (open did not run or did not finish)"
  fi
  ;;
*)
  echo "usage: synapse-firewall.sh open|close OUTPUTS_JSON" >&2
  exit 2
  ;;
esac
