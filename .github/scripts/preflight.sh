#!/usr/bin/env bash
# Fail fast, naming what is missing, when a preview or deploy runs before the repository is
# bootstrapped (docs/delivery.md): GitHub variables unset, a state backend that is not Azure blob,
# or a stack file without the Azure Key Vault secrets provider that `pulumi stack init` records.
#
# usage: preflight.sh STACK        (reads PULUMI_BACKEND_URL and ARM_* from the environment)
set -euo pipefail

stack="${1:?usage: preflight.sh STACK}"
doc="docs/delivery.md"
problems=0
problem() {
  echo "::error::preflight ($stack): $*"
  problems=$((problems + 1))
}

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
