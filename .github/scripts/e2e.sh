#!/usr/bin/env bash
# End-to-end test of the platform on Azure (e2e.yml): deploy a throwaway stack from Pulumi.e2e.yaml,
# prove a second run changes nothing, run the pipeline on the committed sample fixture, apply the
# Synapse SQL, compare the five analyst views with the rows the local view tests expect, and always
# tear everything down. One phase per call, so the workflow can log in to Azure again between
# phases (the CLI's OIDC assertion lasts ~10 minutes); `all` runs every phase in order, with the
# teardown even after a failure (a laptop with `az login`, and `make e2e-dry-run` against fakes).
#
#   deploy    copy Pulumi.e2e.yaml to Pulumi.<stack>.yaml, `pulumi stack init`, `pulumi up`, outputs
#   no-op     `pulumi preview --expect-no-changes`, then the same with --refresh (what drift.yml runs)
#   seed      let this identity write bronze (a role on the container, the runner's IP on the lake
#             firewall) and upload the fixture in its landing order (notebooks/testdata/manifest.json)
#   pipeline  run the Data Factory pipeline and wait (run-adf-pipeline.sh prints failed activities)
#   sql       open the Synapse firewall for the runner, grant the Synapse roles, render and apply SQL
#   views     query the five analyst views with go-sqlcmd and compare every row with
#             synapse/tests/expected-view-rows.json (the file the local Spark view tests read)
#   teardown  lift protection and management locks (this stack only), `pulumi destroy`, purge the
#             soft-deleted Key Vault, `pulumi stack rm`; keeps the stack when destroy failed
#
# Safety: only stacks named e2e-<run id>-<attempt> are accepted, before any other command runs, and
# every Pulumi call goes through one function that passes --stack explicitly; so no call here can
# reach the dev, staging or prod stack (internal/workflows tests this with a fake `pulumi`).
#
# usage: e2e.sh phases                    the phases, in order, one per line
#        e2e.sh check STACK               only validate the stack name
#        e2e.sh PHASE STACK               run one phase, recording its verdict and duration
#        e2e.sh all STACK                 every phase in order; teardown always; then the summary
#        e2e.sh summary STACK             the recorded phases as a markdown table
# env:   PULUMI_BACKEND_URL, E2E_SECRETS_PROVIDER (azurekeyvault://<vault>.vault.azure.net/keys/<key>),
#        E2E_ADMINS_OBJECT_ID (object id of the sandbox's existing admins group),
#        SQLCMD (go-sqlcmd, default: sqlcmd on PATH), E2E_DIR (default $RUNNER_TEMP/e2e-<stack>),
#        E2E_PIPELINE_TIMEOUT_MINUTES (60), E2E_UPLOAD_ATTEMPTS (20), E2E_RETRY_SECONDS (15),
#        E2E_DESTROY_ATTEMPTS (2), E2E_LANDING_SECONDS (2: between uploads)
# needs: pulumi, az (logged in), jq, curl, python3; go-sqlcmd for sql and views
set -euo pipefail

PHASES=(deploy no-op seed pipeline sql views teardown)
STACK_PATTERN='^e2e-[0-9]+-[0-9]+$'
usage="usage: e2e.sh phases | check STACK | all STACK | summary STACK | {$(
  IFS='|'
  echo "${PHASES[*]}"
)} STACK"

scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$scripts/../.." && pwd)"
cd "$root"

command="${1:?$usage}"
if [[ "$command" == phases ]]; then
  printf '%s\n' "${PHASES[@]}"
  exit 0
fi
stack="${2:?$usage}"
if [[ ! "$stack" =~ $STACK_PATTERN ]]; then
  echo "::error::e2e: refusing stack '$stack': only throwaway stacks named e2e-<run id>-<attempt> may be touched" >&2
  exit 2
fi
dir="${E2E_DIR:-${RUNNER_TEMP:-/tmp}/e2e-$stack}"
mkdir -p "$dir"
outputs="$dir/outputs.json"
fixture="notebooks/testdata"
expected="synapse/tests/expected-view-rows.json"

# p ARGS...: the Pulumi CLI on this stack and no other.
p() { pulumi "$@" --stack "$stack" --non-interactive; }

retry_seconds="${E2E_RETRY_SECONDS:-15}"

phase_deploy() {
  [[ "${E2E_SECRETS_PROVIDER:-}" == azurekeyvault://* ]] || {
    echo "::error::E2E_SECRETS_PROVIDER must be an azurekeyvault:// key URL (docs/delivery.md, 'End-to-end test')"
    return 1
  }
  [[ "${E2E_ADMINS_OBJECT_ID:-}" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]] || {
    echo "::error::E2E_ADMINS_OBJECT_ID must be the object id of the existing admins group of the sandbox (docs/delivery.md, 'End-to-end test')"
    return 1
  }
  cp Pulumi.e2e.yaml "Pulumi.$stack.yaml"
  p stack init --secrets-provider "$E2E_SECRETS_PROVIDER"
  # The admins group is an existing group the program never creates (CA.Deploy.AdminsGroupNotOwned).
  p config set --path groups.admins.objectId "$E2E_ADMINS_OBJECT_ID"
  p up --yes --skip-preview --message "e2e ${GITHUB_RUN_ID:-local}"
  p stack output --json >"$outputs"
  echo "deployed $stack ($(jq -r .resourceGroupName "$outputs"))"
}

phase_no_op() {
  echo "-- a second run must change nothing"
  p preview --expect-no-changes --diff
  echo "-- nor after reading every resource back from Azure"
  p preview --refresh --expect-no-changes --diff
}

phase_seed() {
  local rg account ip oid scope files path attempt
  rg="$(jq -er .resourceGroupName "$outputs")"
  account="$(jq -er .storageAccountName "$outputs")"
  oid="$("$scripts/deployer-object-id.sh")"
  scope="$(az storage account show --name "$account" --resource-group "$rg" --query id --output tsv)/blobServices/default/containers/bronze"
  az role assignment create --assignee-object-id "$oid" --assignee-principal-type ServicePrincipal \
    --role "Storage Blob Data Contributor" --scope "$scope" --output none
  ip="$(curl --fail --silent --show-error --max-time 20 https://api.ipify.org)"
  [[ "$ip" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
    echo "::error::could not determine this runner's public IPv4 address (got '$ip')"
    return 1
  }
  az storage account network-rule add --resource-group "$rg" --account-name "$account" --ip-address "$ip" --output none
  # In landing order: the pipeline's "latest wins" reads the blobs' modification times, so each
  # upload must land after the one before (Last-Modified has one-second resolution). The defects
  # file is not part of the run the view tests model.
  files="$(jq -r '.files | sort_by(.modified_at) | .[].path | select(startswith("bronze/"))' "$fixture/manifest.json")"
  for path in $files; do
    for ((attempt = 1; ; attempt++)); do
      # New role assignments take minutes to apply: retry while the upload is refused.
      if az storage blob upload --auth-mode login --account-name "$account" --container-name bronze \
        --name "${path#bronze/}" --file "$fixture/$path" --overwrite --output none; then
        break
      fi
      if ((attempt >= ${E2E_UPLOAD_ATTEMPTS:-20})); then
        echo "::error::could not upload $path to $account/bronze after $attempt attempts (role or firewall not applied?)"
        return 1
      fi
      echo "upload of $path refused (attempt $attempt); retrying in ${retry_seconds}s"
      sleep "$retry_seconds"
    done
    echo "landed bronze/${path#bronze/}"
    sleep "${E2E_LANDING_SECONDS:-2}"
  done
}

phase_pipeline() {
  "$scripts/run-adf-pipeline.sh" "$outputs" "${E2E_PIPELINE_TIMEOUT_MINUTES:-60}"
}

phase_sql() {
  "$scripts/synapse-firewall.sh" open "$outputs"
  "$scripts/synapse-roles.sh" "$outputs"
  (cd synapse && python3 -m sqlkit.render --stack "$stack" --outputs "$outputs" --out "$dir/synapse")
  synapse/apply.sh "$dir/synapse" "$(sqlcmd_path)"
}

sqlcmd_path() { command -v "${SQLCMD:-sqlcmd}" || echo "${SQLCMD:-sqlcmd}"; }

phase_views() {
  local server database view query mismatches=0 got want
  server="$(<"$dir/synapse/server")"
  database="$(awk -F'\t' '$2 ~ /analyst_views/ {print $1; exit}' "$dir/synapse/plan.tsv")"
  [[ -n "$database" ]] || {
    echo "::error::no analyst views script in $dir/synapse/plan.tsv: run the sql phase first"
    return 1
  }
  for view in $(jq -r '.views | keys_unsorted[]' "$expected"); do
    # Every column as text (decimals keep their scale, dates print as yyyy-mm-dd), sorted on the
    # view's own columns as the Spark tests sort them.
    query="$(jq -r --arg v "$view" '.views[$v] |
      "SET NOCOUNT ON; SELECT " + ([.columns[] | "CONVERT(nvarchar(4000), v.[\(.)]) AS [\(.)]"] | join(", "))
      + " FROM \($v) AS v ORDER BY " + ([.order_by[] | "v.[\(.)]"] | join(", ")) + ";"' "$expected")"
    got="$dir/$view.got.tsv"
    want="$dir/$view.want.tsv"
    "$(sqlcmd_path)" -S "tcp:$server,1433" -d "$database" --authentication-method ActiveDirectoryAzCli \
      -N true -l 60 -b -h -1 -W -s $'\t' -Q "$query" | sed '/^[[:space:]]*$/d' >"$got"
    jq -r --arg v "$view" '.views[$v].rows[] | map(if . == null then "NULL" else tostring end) | @tsv' \
      "$expected" >"$want"
    if diff -u --label "expected $view" --label "Synapse $view" "$want" "$got"; then
      echo "ok: $view ($(wc -l <"$want") rows)"
    else
      echo "::error::$view: Synapse's rows differ from $expected (diff above)"
      mismatches=$((mismatches + 1))
    fi
  done
  ((mismatches == 0))
}

phase_teardown() {
  local state="$dir/state.json" rg destroyed=false attempt
  # A cleanup run (cleanup_stack) starts from a fresh checkout without the stack's config file.
  [[ -f "Pulumi.$stack.yaml" ]] || cp Pulumi.e2e.yaml "Pulumi.$stack.yaml"
  if ! p stack export --file "$state" 2>/dev/null; then
    echo "stack $stack does not exist: nothing to tear down"
    rm -f "Pulumi.$stack.yaml"
    return 0
  fi
  rg="$(jq -r '[.deployment.resources[]? | select(.type == "azure-native:resources:ResourceGroup") | .outputs.name] | first // empty' "$state")"
  # Protection and locks are lifted for this throwaway stack only (the name check above).
  p state unprotect --all --yes
  if [[ -n "$rg" && "$(az group exists --name "$rg")" == true ]]; then
    for lock in $(az lock list --resource-group "$rg" --query '[].id' --output tsv); do
      az lock delete --ids "$lock" --output none
      echo "deleted management lock $lock"
    done
  fi
  for ((attempt = 1; attempt <= ${E2E_DESTROY_ATTEMPTS:-2}; attempt++)); do
    if p destroy --yes --skip-preview --message "e2e teardown ${GITHUB_RUN_ID:-local}"; then
      destroyed=true
      break
    fi
    echo "destroy failed (attempt $attempt); retrying in ${retry_seconds}s"
    sleep "$retry_seconds"
  done
  # Key Vault names are global and soft delete keeps them taken: purge what this stack created.
  jq -r '.deployment.resources[]? | select(.type == "azure-native:keyvault:Vault") | "\(.outputs.name) \(.outputs.location)"' "$state" |
    while read -r vault location; do
      if az keyvault show-deleted --name "$vault" --output none 2>/dev/null; then
        az keyvault purge --name "$vault" --location "$location" --output none
        echo "purged soft-deleted key vault $vault"
      fi
    done
  if [[ "$destroyed" != true ]]; then
    echo "::error::pulumi destroy of $stack failed: the stack is kept; re-run e2e.yml with cleanup_stack=$stack (docs/delivery.md, 'End-to-end test')"
    return 1
  fi
  p stack rm --yes
  rm -f "Pulumi.$stack.yaml"
  echo "removed stack $stack"
}

# record PHASE VERDICT SECONDS
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$dir/phases.tsv"; }

# run_phase PHASE: run it in its own bash process, record the verdict and duration, return its
# status. A separate process, not a subshell: bash ignores errexit inside anything called from an
# `if`, `&&` or `||` (even after `set -e`), so a failing command would not stop the phase.
run_phase() {
  local phase="$1" start=$SECONDS rc=0
  echo "== e2e $stack: $phase"
  bash "$scripts/e2e.sh" __run "$stack" "$phase" || rc=$?
  record "$phase" "$([[ $rc -eq 0 ]] && echo passed || echo failed)" $((SECONDS - start))
  echo "== e2e $stack: $phase $([[ $rc -eq 0 ]] && echo passed || echo "FAILED ($rc)") in $((SECONDS - start))s"
  return "$rc"
}

summary() {
  local phase line
  echo "### End-to-end test: \`$stack\`"
  echo
  echo "| phase | verdict | duration |"
  echo "|---|---|---|"
  for phase in "${PHASES[@]}"; do
    line="$(awk -F'\t' -v p="$phase" '$1 == p {l = $0} END {print l}' "$dir/phases.tsv" 2>/dev/null || true)"
    if [[ -z "$line" ]]; then
      echo "| $phase | not run | - |"
    else
      IFS=$'\t' read -r _ verdict seconds <<<"$line"
      echo "| $phase | $verdict | $((seconds / 60))m $((seconds % 60))s |"
    fi
  done
}

case "$command" in
__run) "phase_${3//-/_}" ;;
check) echo "e2e: stack $stack accepted" ;;
summary) summary ;;
all)
  failed=""
  for phase in "${PHASES[@]}"; do
    [[ "$phase" == teardown ]] && continue
    if [[ -n "$failed" ]]; then
      echo "== e2e $stack: $phase skipped ($failed failed)"
      continue
    fi
    run_phase "$phase" || failed="$phase"
  done
  run_phase teardown || failed="${failed:-teardown}"
  summary
  [[ -z "$failed" ]]
  ;;
*)
  if [[ " ${PHASES[*]} " != *" $command "* ]]; then
    echo "$usage" >&2
    exit 2
  fi
  run_phase "$command"
  ;;
esac
