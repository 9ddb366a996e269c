#!/usr/bin/env bash
# Fail fast, naming what is missing, when a preview or deploy runs before the repository is
# bootstrapped (docs/delivery.md): GitHub variables unset, a state backend that is not Azure blob,
# or a stack file without the Azure Key Vault secrets provider that `pulumi stack init` records.
#
# With --graph (after `az login` as the deploy app) it checks instead that the app holds the Microsoft
# Graph application permissions the program needs, read from the roles claim of its Graph token.
#
# usage: preflight.sh STACK [--graph]   (reads PULUMI_BACKEND_URL and ARM_* from the environment)
set -euo pipefail

stack="${1:?usage: preflight.sh STACK [--graph]}"
doc="docs/delivery.md"
problems=0
problem() {
  echo "::error::preflight ($stack): $*"
  problems=$((problems + 1))
}

# The Graph application permissions of the deploy app (bootstrap step 4 grants exactly these): create
# the engineers/analysts groups it then owns, resolve user members, manage the Databricks application it
# owns. Nothing directory-wide: the program sets no preventDuplicateNames (policy CA.Deploy.GraphNoDirectoryReads).
DEPLOY_GRAPH_PERMISSIONS="Group.Create User.Read.All Application.ReadWrite.OwnedBy"

# jwt_roles TOKEN: the roles claim of a JWT, one per line.
jwt_roles() {
  local payload
  payload="$(cut -d. -f2 <<<"$1" | tr '_-' '/+')"
  while ((${#payload} % 4)); do payload+="="; done
  base64 -d <<<"$payload" 2>/dev/null | jq -r '.roles // [] | .[]'
}

if [[ "${2:-}" == --graph ]]; then
  if ! token="$(az account get-access-token --resource-type ms-graph --query accessToken -o tsv)" || [[ -z "$token" ]]; then
    problem "no Microsoft Graph token for the deploy app: is the Azure CLI logged in?"
  else
    granted="$(jwt_roles "$token")"
    for perm in $DEPLOY_GRAPH_PERMISSIONS; do
      if ! grep -qxF "$perm" <<<"$granted"; then
        problem "the deploy app lacks the Microsoft Graph application permission $perm: grant and consent it as in $doc (bootstrap step 4)"
      fi
    done
  fi
  if ((problems > 0)); then
    echo "preflight ($stack): $problems problem(s)" >&2
    exit 1
  fi
  echo "preflight ($stack): Graph permissions ok ($DEPLOY_GRAPH_PERMISSIONS)"
  exit 0
fi

for var in PULUMI_BACKEND_URL ARM_CLIENT_ID ARM_TENANT_ID ARM_SUBSCRIPTION_ID; do
  if [[ -z "${!var:-}" ]]; then
    problem "$var is empty: set the GitHub variable that feeds it (see $doc, 'GitHub environments and variables')"
  fi
done

if [[ -n "${PULUMI_BACKEND_URL:-}" && "${PULUMI_BACKEND_URL}" != azblob://* ]]; then
  problem "PULUMI_BACKEND_URL must be an azblob:// URL (state lives in Azure blob storage), got '${PULUMI_BACKEND_URL}'"
fi

file="Pulumi.${stack}.yaml"
if [[ ! -f "$file" ]]; then
  problem "$file does not exist"
else
  if ! grep -Eq '^secretsprovider:[[:space:]]*azurekeyvault://' "$file"; then
    problem "$file has no 'secretsprovider: azurekeyvault://...' line: run 'pulumi stack init' as in $doc and commit the file"
  fi
  if ! grep -Eq '^encryptedkey:[[:space:]]*[^[:space:]]' "$file"; then
    problem "$file has no 'encryptedkey:' line: run 'pulumi stack init' as in $doc and commit the file"
  fi
fi

if ((problems > 0)); then
  echo "preflight ($stack): $problems problem(s)" >&2
  exit 1
fi
echo "preflight ($stack): ok"
