#!/usr/bin/env bash
# Print the object id of the principal the Azure CLI session is signed in as (the deploy identity
# in CI). Reading it from Microsoft Graph would need a directory-read permission the deploy app does
# not have; the oid claim of the ARM token the CLI session already holds names the same principal.
# The token is never printed. DEPLOY_PRINCIPAL_OBJECT_ID, when set, wins (a laptop, a test).
#
# usage: deployer-object-id.sh        (prints the GUID; fails when it cannot tell)
# needs: az (logged in), jq, base64
set -euo pipefail

oid="${DEPLOY_PRINCIPAL_OBJECT_ID:-}"
if [[ -z "$oid" ]]; then
  token="$(az account get-access-token --resource https://management.azure.com/ --query accessToken --output tsv)"
  payload="$(cut -d. -f2 <<<"$token" | tr '_-' '/+')"
  case $((${#payload} % 4)) in
  2) payload+="==" ;;
  3) payload+="=" ;;
  esac
  oid="$(base64 --decode <<<"$payload" 2>/dev/null | jq -r '.oid // empty' 2>/dev/null || true)"
fi
if [[ ! "$oid" =~ ^[0-9a-fA-F-]{36}$ ]]; then
  echo "::error::could not determine the deploy identity's object id (got '$oid')" >&2
  exit 1
fi
echo "$oid"
