#!/usr/bin/env bash
# Drift detection for one stack (drift.yml, on a schedule): `pulumi preview --refresh
# --expect-no-changes` reads every resource back from Azure and compares it with the program.
#   - clean: exit 0, and close the stack's open drift issue (if any) with a comment;
#   - drift (the preview proposes changes): exit 1, and open ONE issue per stack, or update the open
#     one (found by its fixed title and the `drift` label), with the change summary and the diff;
#   - anything else (login, state, program error): exit 1 without touching issues — that is a broken
#     check, not drift, and the job log says why.
# Read-only: `preview` writes no state and takes no lock, and the job runs as the preview identity.
#
# usage: drift.sh STACK          (dev, staging or prod)
# env:   GITHUB_REPOSITORY, GH_TOKEN (issues: write), GITHUB_SERVER_URL, GITHUB_RUN_ID,
#        DRIFT_MAX_DIFF_LINES (default 300)
# needs: pulumi (logged in to the backend), gh, jq
set -euo pipefail

stack="${1:?usage: drift.sh STACK}"
case "$stack" in
dev | staging | prod) ;;
*)
  echo "::error::drift: unknown stack '$stack' (dev, staging or prod)" >&2
  exit 2
  ;;
esac
repo="${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is required}"
label=drift
title="Drift: stack $stack differs from its Pulumi program"
run_url="${GITHUB_SERVER_URL:-https://github.com}/$repo/actions/runs/${GITHUB_RUN_ID:-0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

set +e
pulumi preview --refresh --expect-no-changes --diff --non-interactive --stack "$stack" >"$work/preview.log" 2>&1
status=$?
set -e
cat "$work/preview.log"

# The open drift issue of this stack (the oldest, should a human have opened a second by hand).
issue="$(gh issue list --repo "$repo" --label "$label" --state open --limit 200 --json number,title |
  jq -r --arg t "$title" '[.[] | select(.title == $t) | .number] | sort | first // empty')"

if ((status == 0)); then
  echo "drift ($stack): none"
  if [[ -n "$issue" ]]; then
    gh issue close "$issue" --repo "$repo" --comment "No drift in $stack any more (run $run_url): closing."
    echo "drift ($stack): closed issue #$issue"
  fi
  exit 0
fi

if ! grep -Eq 'no changes were expected( for [^ ]+)? but changes were proposed' "$work/preview.log"; then
  echo "::error::drift ($stack): the preview failed (exit $status) before it could compare: not drift; see the log above (docs/delivery.md, 'Drift detection')"
  exit 1
fi

{
  echo "\`pulumi preview --refresh --expect-no-changes --stack $stack\` found Azure resources that no longer"
  echo "match the program on \`main\` (run $run_url)."
  echo
  echo "### Summary"
  echo
  echo '```'
  awk '/^Resources:/ {on = 1} on && /^[[:space:]]*$/ {exit} on' "$work/preview.log"
  echo '```'
  echo
  echo "### Changes the next deploy would make"
  echo
  echo '```diff'
  grep -E '^[[:space:]]*(\+-|-\+|\+\+|--|[~+-]) ' "$work/preview.log" | head -n "${DRIFT_MAX_DIFF_LINES:-300}" || true
  echo '```'
  echo
  echo "Either make Azure match the code again (run *deploy* with \`refresh\` ticked: \`pulumi up --refresh\`"
  echo "puts back what the program declares), or, if the change in Azure was right, change the code and"
  echo "deploy it. This issue closes itself on the first clean check (docs/delivery.md, 'Drift detection')."
} >"$work/body.md"

if [[ -n "$issue" ]]; then
  gh issue edit "$issue" --repo "$repo" --body-file "$work/body.md"
  gh issue comment "$issue" --repo "$repo" --body "Still drifting in run $run_url (description updated)."
  echo "::error::drift ($stack): the stack has drifted; updated issue #$issue"
else
  gh label create "$label" --repo "$repo" --force --color D93F0B \
    --description "Azure differs from the Pulumi program (drift.yml)"
  url="$(gh issue create --repo "$repo" --title "$title" --label "$label" --body-file "$work/body.md")"
  echo "::error::drift ($stack): the stack has drifted; opened $url"
fi
exit 1
