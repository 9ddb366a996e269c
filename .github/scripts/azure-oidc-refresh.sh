#!/usr/bin/env bash
# Keep the job's Azure credentials renewable for as long as the job runs: a cold prod `pulumi up` can
# take two hours.
#
# azure/login hands the Azure CLI a GitHub OIDC token as a client assertion. Entra ID accepts it for
# about ten minutes and the CLI cannot fetch a new one (Azure/azure-cli#28708), so once the access
# tokens cached at login expire (60-90 minutes) everything that authenticates through the CLI fails.
# This script fetches a fresh GitHub OIDC token every few minutes and
#   1. writes it (atomically) to AZURE_FEDERATED_TOKEN_FILE: the Pulumi CLI's azblob state backend and
#      azurekeyvault secrets provider use the Azure SDK's WorkloadIdentityCredential
#      (AZURE_TOKEN_CREDENTIALS=WorkloadIdentityCredential), which reads the file whenever it needs a
#      new access token;
#   2. logs the Azure CLI in again with it, so the Databricks provider (authType azure-cli), az and
#      go-sqlcmd always hold a session that can renew its tokens.
# The azure-native and azuread providers need neither: with ARM_USE_OIDC they ask GitHub for a new
# token themselves whenever they need one.
#
# usage: azure-oidc-refresh.sh start | once | stop
#   start  refresh once (failing if that fails), export AZURE_FEDERATED_TOKEN_FILE to the later steps
#          ($GITHUB_ENV), then refresh every OIDC_REFRESH_SECONDS (default 240, below the token's ten
#          minutes) in the background until the job ends (the runner ends it) or `stop`
#   once   refresh once
#   stop   end the background refresher
# env:   ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN (the job needs `id-token: write`), ARM_CLIENT_ID,
#        ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, RUNNER_TEMP; optional AZURE_FEDERATED_TOKEN_FILE
# needs: curl, jq, az
set -euo pipefail

token_file="${AZURE_FEDERATED_TOKEN_FILE:-${RUNNER_TEMP:?}/azure-federated-token}"
pid_file="${RUNNER_TEMP:?}/azure-oidc-refresh.pid"
log_file="${RUNNER_TEMP}/azure-oidc-refresh.log"
interval="${OIDC_REFRESH_SECONDS:-240}"

# refresh: a new GitHub OIDC token for Entra ID, into the token file and the Azure CLI session. Every
# command checks its own result: the background loop calls it where `set -e` does not apply, and a
# failed fetch must never replace a good token.
refresh() {
  local token
  token="$(curl --silent --show-error --fail --retry 3 \
    --header "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN:?the job needs permissions id-token: write}" \
    "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions id-token: write}&audience=api://AzureADTokenExchange" |
    jq -er .value)" || return 1
  [[ -n "$token" ]] || return 1
  (umask 077 && printf '%s' "$token" >"$token_file.new") || return 1
  mv -f "$token_file.new" "$token_file" || return 1
  az login --service-principal --username "${ARM_CLIENT_ID:?}" --tenant "${ARM_TENANT_ID:?}" \
    --federated-token "$token" --allow-no-subscriptions --output none || return 1
  az account set --subscription "${ARM_SUBSCRIPTION_ID:?}" || return 1
}

case "${1:-}" in
once)
  refresh || { echo "::error::could not fetch a GitHub OIDC token or log the Azure CLI in with it" >&2; exit 1; }
  ;;
start)
  refresh || { echo "::error::could not fetch a GitHub OIDC token or log the Azure CLI in with it" >&2; exit 1; }
  echo "AZURE_FEDERATED_TOKEN_FILE=$token_file" >>"${GITHUB_ENV:?}"
  (
    while sleep "$interval"; do
      if refresh; then echo "$(date -u +%FT%TZ) refreshed"; else echo "$(date -u +%FT%TZ) refresh failed, retrying in ${interval}s"; fi
    done
  ) </dev/null >>"$log_file" 2>&1 &
  echo $! >"$pid_file"
  echo "refreshing the Azure OIDC token every ${interval}s in the background (pid $!, log $log_file)"
  ;;
stop)
  if [[ -f "$pid_file" ]]; then
    kill "$(cat "$pid_file")" 2>/dev/null || true
    rm -f "$pid_file"
  fi
  if [[ -f "$log_file" ]] && grep -q "refresh failed" "$log_file"; then
    echo "::warning::some background Azure OIDC refreshes failed: $(grep -c 'refresh failed' "$log_file") of $(wc -l <"$log_file")"
  fi
  ;;
*)
  echo "usage: $0 start | once | stop" >&2
  exit 2
  ;;
esac
