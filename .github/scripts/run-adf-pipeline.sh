#!/usr/bin/env bash
# Trigger the stack's Data Factory pipeline once and wait for it to finish (on-demand end-to-end
# check after a deploy, and the e2e workflow's pipeline phase; the daily schedule trigger is managed
# by the program). A failed run fails with the run's message and each failed activity's error and
# output (queryActivityruns).
#
# usage: run-adf-pipeline.sh OUTPUTS_JSON [TIMEOUT_MINUTES]   (default 60)
# needs: az (logged in), jq
set -euo pipefail

outputs="${1:?usage: run-adf-pipeline.sh OUTPUTS_JSON [TIMEOUT_MINUTES]}"
timeout_minutes="${2:-60}"
poll_seconds="${ADF_POLL_SECONDS:-30}"
api="api-version=2018-06-01"

rg="$(jq -er .resourceGroupName "$outputs")"
df="$(jq -er .dataFactoryName "$outputs")"
pipeline="$(jq -er .pipelineName "$outputs")"

factory_id="$(az resource show --resource-group "$rg" --name "$df" \
  --resource-type Microsoft.DataFactory/factories --query id --output tsv)"
run_id="$(az rest --method post --url "${factory_id}/pipelines/${pipeline}/createRun?${api}" \
  --body '{}' --query runId --output tsv)"
echo "started $pipeline in $df: run $run_id"

# activity_errors: each failed activity of the run with its error and output (a notebook's exit
# value, the Databricks run page), so the job log says which step failed and why.
activity_errors() {
  local window body
  window="$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)"
  body="{\"lastUpdatedAfter\": \"$window\", \"lastUpdatedBefore\": \"$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)\"}"
  az rest --method post --url "${factory_id}/pipelineruns/${run_id}/queryActivityruns?${api}" \
    --body "$body" --output json |
    jq -r '.value[]? | select(.status == "Failed")
      | "::error::activity \(.activityName) (\(.activityType)) failed: \(.error.message // "no message")"
        + "\n  output: \(.output // {} | tojson)"' ||
    echo "::warning::could not read the activity runs of $run_id"
}

deadline=$((SECONDS + timeout_minutes * 60))
while true; do
  status="$(az rest --method get --url "${factory_id}/pipelineruns/${run_id}?${api}" \
    --query status --output tsv)"
  echo "$(date -u +%H:%M:%S) $pipeline run $run_id: $status"
  case "$status" in
  Succeeded) exit 0 ;;
  Failed | Cancelled | Canceling)
    message="$(az rest --method get --url "${factory_id}/pipelineruns/${run_id}?${api}" \
      --query message --output tsv || true)"
    echo "::error::$pipeline run $run_id ended $status: $message"
    activity_errors
    exit 1
    ;;
  esac
  if ((SECONDS >= deadline)); then
    echo "::error::$pipeline run $run_id still $status after $timeout_minutes minutes"
    exit 1
  fi
  sleep "$poll_seconds"
done
