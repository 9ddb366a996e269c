#!/usr/bin/env bash
# make e2e-dry-run: run .github/scripts/e2e.sh end to end (every phase, in order, teardown always)
# against the fake az, pulumi, sqlcmd and curl in fakebin/, in a scratch copy of the files the script
# reads, so nothing in the worktree changes and nothing reaches Azure. Prints the script's output,
# the phase summary and every call the fakes received. The FAKE_* variables the fakes document
# break one answer, e.g. `FAKE_RUN_RESULT=Failed make e2e-dry-run` shows a failed pipeline phase
# followed by the teardown. The internal/workflows tests run this same driver.
#
# usage: e2e-dry-run.sh [STACK]        (default e2e-0-1)
# env:   E2E_COMMAND (default all: another e2e.sh command), E2E_SCRIPTS_DIR (default .github/scripts:
#        the tests run sabotaged copies to show their checks catch them), FAKE_* (see fakebin/)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
stack="${1:-e2e-0-1}"
sandbox="$(mktemp -d)"
trap 'rm -rf "$sandbox"' EXIT

mkdir -p "$sandbox/repo/.github" "$sandbox/repo/notebooks" "$sandbox/repo/synapse/tests" "$sandbox/state"
cp -R "${E2E_SCRIPTS_DIR:-$root/.github/scripts}" "$sandbox/repo/.github/scripts"
cp -R "$root/notebooks/testdata" "$sandbox/repo/notebooks/"
cp -R "$root/synapse/sqlkit" "$root/synapse/apply.sh" "$root"/synapse/*.sql "$sandbox/repo/synapse/"
cp "$root/synapse/tests/expected-view-rows.json" "$sandbox/repo/synapse/tests/"
cp "$root/Pulumi.e2e.yaml" "$sandbox/repo/"

export PATH="$here/fakebin:$PATH"
export FAKE_LOG="${FAKE_LOG:-$sandbox/calls.log}" FAKE_STATE="$sandbox/state"
export E2E_DIR="$sandbox/work" RUNNER_TEMP="$sandbox"
export PULUMI_BACKEND_URL="azblob://pulumi-state-e2e?storage_account=stfake"
export E2E_SECRETS_PROVIDER="azurekeyvault://kv-fake.vault.azure.net/keys/pulumi-e2e"
export E2E_ADMINS_OBJECT_ID="00000000-0000-0000-0000-0000000ad0de"
export GITHUB_RUN_ID="${GITHUB_RUN_ID:-0}" GITHUB_RUN_ATTEMPT=1
export E2E_RETRY_SECONDS=0 E2E_LANDING_SECONDS=0 ADF_POLL_SECONDS=0 PYTHONDONTWRITEBYTECODE=1
: >>"$FAKE_LOG"

set +e
"$sandbox/repo/.github/scripts/e2e.sh" "${E2E_COMMAND:-all}" "$stack"
status=$?
set -e
echo
echo "== calls the fakes received"
cat "$FAKE_LOG"
echo
echo "== stack files left in the scratch repository:" "$sandbox"/repo/Pulumi.*.yaml
echo "== e2e.sh ${E2E_COMMAND:-all} $stack exited $status"
exit "$status"
