#!/usr/bin/env bash
# Grant the Synapse RBAC (data-plane) roles that Azure role assignments cannot express:
#   - the engineers group: Synapse Administrator on the workspace;
#   - the deploy identity (whoever runs this): Synapse SQL Administrator, unless it already is a
#     Synapse Administrator, so that `make synapse-sql ... APPLY=1` can connect to the serverless
#     pool. (The program makes the admins group the workspace's Entra SQL admin; Synapse RBAC's
#     Synapse Administrator and Synapse SQL Administrator are the roles that also open the
#     serverless SQL pool.)
# The principal that creates a workspace becomes its Synapse Administrator, so on a workspace the
# deploy identity created this only adds the engineers. Only a Synapse Administrator (or an Azure
# Owner of the workspace) can grant Synapse roles: if the deploy identity is neither, an admin
# grants it once by hand (docs/delivery.md, "Synapse SQL").
#
# Idempotent: each assignment is listed first and created only when missing. The workspace's
# development endpoint answers these calls, so the runner must reach it: dev opens the workspace
# firewall first; prod runs inside the platform VNet (privatelink.dev.azuresynapse.net).
#
# usage: synapse-roles.sh OUTPUTS_JSON
# env:   DEPLOY_PRINCIPAL_OBJECT_ID (default: the object id in the CLI session's ARM token),
#        SYNAPSE_ROLE_PROPAGATION_SECONDS (default 180: wait after granting the deploy identity)
# needs: az (logged in), jq, base64
set -euo pipefail

outputs="${1:?usage: synapse-roles.sh OUTPUTS_JSON}"
ws="$(jq -er .synapseWorkspaceName "$outputs")"
engineers="$(jq -er .groupObjectIds.engineers "$outputs")"
propagation="${SYNAPSE_ROLE_PROPAGATION_SECONDS:-180}"

# has ROLE OBJECT_ID: the principal holds ROLE at workspace scope.
has() {
  local count
  if ! count="$(az synapse role assignment list --workspace-name "$ws" --role "$1" --assignee-object-id "$2" \
    --query "[?scope=='workspaces/$ws'] | length(@)" --output tsv)"; then
    echo "::error::cannot list Synapse role assignments on $ws: the deploy identity needs a Synapse role" \
      "there, and the runner must reach the workspace's development endpoint (docs/delivery.md, 'Synapse SQL')"
    exit 1
  fi
  ((count > 0))
}

# grant ROLE OBJECT_ID PRINCIPAL_TYPE
grant() {
  if ! az synapse role assignment create --workspace-name "$ws" --role "$1" --assignee-object-id "$2" \
    --assignee-principal-type "$3" --output none; then
    echo "::error::could not grant '$1' on $ws to $3 $2: only a Synapse Administrator of the workspace" \
      "can; an admin runs this once (docs/delivery.md, 'Synapse SQL')"
    exit 1
  fi
  echo "granted '$1' on $ws to $3 $2"
}

# The object id of the signed-in principal (the oid claim of the CLI session's ARM token).
deployer="$("$(dirname "$0")/deployer-object-id.sh")"

if has "Synapse Administrator" "$deployer"; then
  echo "ok: the deploy identity $deployer is a Synapse Administrator of $ws"
elif has "Synapse SQL Administrator" "$deployer"; then
  echo "ok: the deploy identity $deployer is a Synapse SQL Administrator of $ws"
else
  grant "Synapse SQL Administrator" "$deployer" ServicePrincipal
  # Synapse role assignments take 2-5 minutes to apply; the SQL apply comes next.
  echo "waiting ${propagation}s for the new role to apply"
  sleep "$propagation"
fi

if has "Synapse Administrator" "$engineers"; then
  echo "ok: engineers ($engineers) are Synapse Administrators of $ws"
else
  grant "Synapse Administrator" "$engineers" Group
fi
