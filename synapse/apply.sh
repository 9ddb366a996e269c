#!/usr/bin/env bash
# Apply the rendered Synapse serverless scripts with go-sqlcmd, in order, one session per script,
# stopping at the first error. Authenticates with Microsoft Entra ID through the Azure CLI session
# (`az login` on a laptop, azure/login in the deploy workflow): no password, no token on the command
# line. The caller must be a Synapse SQL administrator and the workspace firewall must let it in.
#
# usage: synapse/apply.sh RENDERED_DIR SQLCMD     (make synapse-sql STACK=... APPLY=1 calls it)
#   RENDERED_DIR  what `python3 -m sqlkit.render` wrote: plan.tsv, server, NNN_*.sql
#   SQLCMD        the go-sqlcmd binary (make builds ./bin/sqlcmd)
set -euo pipefail

dir="${1:?usage: apply.sh RENDERED_DIR SQLCMD}"
sqlcmd="${2:?usage: apply.sh RENDERED_DIR SQLCMD}"

for f in plan.tsv server; do
  [[ -s "$dir/$f" ]] || {
    echo "apply: $dir/$f is missing: render first (make synapse-sql)" >&2
    exit 1
  }
done
[[ -x "$sqlcmd" ]] || {
  echo "apply: $sqlcmd is not an executable go-sqlcmd" >&2
  exit 1
}
command -v az >/dev/null 2>&1 || {
  echo "apply: the Azure CLI is required (go-sqlcmd authenticates with ActiveDirectoryAzCli)" >&2
  exit 1
}
az account show --output none 2>/dev/null || {
  echo "apply: no Azure CLI session: run 'az login' (CI: azure/login) first" >&2
  exit 1
}

server="$(<"$dir/server")"
count=0
while IFS=$'\t' read -r database file; do
  [[ -n "$file" ]] || continue
  echo "== $file (database $database on $server)"
  # -N true: encrypted connection, certificate verified; -b: stop at the first error;
  # -x: the scripts are fully rendered, so sqlcmd must not expand $(...) in them.
  "$sqlcmd" -S "tcp:$server,1433" -d "$database" \
    --authentication-method ActiveDirectoryAzCli \
    -N true -l 60 -b -x -i "$dir/$file"
  count=$((count + 1))
done <"$dir/plan.tsv"

echo "apply: $count scripts applied to $server"
