#!/usr/bin/env bash
# Keep the Data Factory schedule trigger in the state the stack config asks for, around `pulumi up`.
#
# ARM creates Data Factory triggers stopped, azure-native has no "started" property, and Data Factory
# rejects an update to a started trigger. So the deploy job
#   - stops the trigger before `pulumi up` (when the stack was deployed before and the trigger exists;
#     on a first deploy there is nothing to stop), and
#   - after `pulumi up`, the SQL apply and the smoke check, starts it when the stack output
#     triggerEnabled (config orchestration.triggerEnabled) is true, and makes sure it is stopped
#     otherwise (a trigger started by hand in a stack whose config says false is stopped again).
# A deploy that fails between the two leaves the trigger stopped until the next successful deploy.
#
# usage: adf-trigger.sh stop|sync OUTPUTS_JSON
#   stop: OUTPUTS_JSON is what `pulumi stack output --json` printed BEFORE the update ({} on a
#         first deploy); sets step output was-started=true when it stopped a running trigger.
#   sync: OUTPUTS_JSON is the output AFTER the update.
# needs: az (logged in; the datafactory extension is added when missing), jq
set -euo pipefail

usage="usage: adf-trigger.sh stop|sync OUTPUTS_JSON"
action="${1:?$usage}"
outputs="${2:?$usage}"
attempts="${ADF_TRIGGER_ATTEMPTS:-5}"
retry_seconds="${ADF_TRIGGER_RETRY_SECONDS:-30}"

# out KEY: a stack output as text, "" when missing (false stays "false").
out() { jq -r --arg k "$1" 'if has($k) and .[$k] != null then .[$k] | tostring else "" end' "$outputs"; }

rg="$(out resourceGroupName)"
df="$(out dataFactoryName)"
trigger="$(out triggerName)"

# The az datafactory commands live in an extension. Dynamic install prompts, and fails without a
# TTY, so add it explicitly (a no-op on runners that already have it).
ensure_extension() {
  if ! az extension show --name datafactory --output none 2>/dev/null; then
    echo "adding the Azure CLI datafactory extension"
    az extension add --name datafactory --yes --output none
  fi
}

# state: the trigger's runtimeState (Started, Stopped or Disabled).
state() {
  az datafactory trigger show --factory-name "$df" --resource-group "$rg" --name "$trigger" \
    --query properties.runtimeState --output tsv
}

# run VERB: start or stop the trigger and confirm the state it reached. Starting right after the
# trigger was created or updated can be refused while it is still provisioning, so retry.
run() {
  local verb="$1" want attempt
  want="$([[ "$verb" == start ]] && echo Started || echo Stopped)"
  for ((attempt = 1; ; attempt++)); do
    if az datafactory trigger "$verb" --factory-name "$df" --resource-group "$rg" --name "$trigger" \
      --output none; then
      break
    fi
    if ((attempt >= attempts)); then
      echo "::error::could not $verb trigger $trigger in $df after $attempt attempts"
      exit 1
    fi
    echo "$verb of $trigger failed (attempt $attempt of $attempts); retrying in ${retry_seconds}s"
    sleep "$retry_seconds"
  done
  local now
  now="$(state)"
  if [[ "$now" != "$want" ]]; then
    echo "::error::trigger $trigger in $df is '$now' after $verb, want '$want'"
    exit 1
  fi
  echo "trigger $trigger in $df: $now"
}

case "$action" in
stop)
  if [[ -z "$rg" || -z "$df" || -z "$trigger" ]]; then
    echo "no data factory trigger in the stack outputs (first deploy): nothing to stop"
    exit 0
  fi
  ensure_extension
  # list, not show: a trigger that does not exist yet (an earlier update failed before creating
  # it) is an empty answer here rather than an error to tell apart from a real failure.
  current="$(az datafactory trigger list --factory-name "$df" --resource-group "$rg" \
    --query "[?name=='$trigger'].properties.runtimeState | [0]" --output tsv)"
  if [[ -z "$current" ]]; then
    echo "trigger $trigger does not exist in $df yet: nothing to stop"
  elif [[ "$current" == Started ]]; then
    run stop
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "was-started=true" >>"$GITHUB_OUTPUT"; fi
  else
    echo "trigger $trigger in $df is already $current"
  fi
  ;;
sync)
  enabled="$(out triggerEnabled)"
  if [[ -z "$rg" || -z "$df" || -z "$trigger" ]]; then
    echo "::error::stack outputs resourceGroupName, dataFactoryName and triggerName are required after the update"
    exit 1
  fi
  if [[ "$enabled" != true && "$enabled" != false ]]; then
    echo "::error::stack output triggerEnabled is '$enabled', want true or false"
    exit 1
  fi
  ensure_extension
  current="$(state)"
  if [[ "$enabled" == true ]]; then
    if [[ "$current" == Started ]]; then
      echo "trigger $trigger in $df is already Started (triggerEnabled: true)"
    else
      run start
    fi
  elif [[ "$current" == Started ]]; then
    echo "triggerEnabled is false but trigger $trigger is Started: stopping it"
    run stop
  else
    echo "trigger $trigger in $df stays $current (triggerEnabled: false)"
  fi
  ;;
*)
  echo "$usage" >&2
  exit 2
  ;;
esac
