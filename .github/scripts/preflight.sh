#!/usr/bin/env bash
# Fail fast, naming what is missing, when a preview or deploy runs before the repository is
# bootstrapped (docs/delivery.md): GitHub variables unset, a state backend that is not Azure blob,
# or a stack file without the Azure Key Vault secrets provider that `pulumi stack init` records.
#
# With --graph (after `az login` as the deploy app) it checks instead that the app holds the Microsoft
# Graph application permissions the program needs, read from the roles claim of its Graph token.
#
# With --unity-catalog OUTPUTS_JSON (after `az login`, given the stack outputs before the update) it
# checks the one-time account-admin steps of docs/delivery.md ("Unity Catalog prerequisites") through
# the workspace's APIs: a metastore is assigned to the workspace, the deploy app holds the metastore
# privileges the program uses, and the engineers/analysts groups are not workspace-local groups. On a
# first deploy (no workspace yet) there is nothing to ask: it says so and passes.
#
# usage: preflight.sh STACK [--graph | --unity-catalog OUTPUTS_JSON]
#        (reads PULUMI_BACKEND_URL and ARM_* from the environment)
set -euo pipefail

stack="${1:?usage: preflight.sh STACK [--graph | --unity-catalog OUTPUTS_JSON]}"
doc="docs/delivery.md"
problems=0
problem() {
  echo "::error::preflight ($stack): $*"
  problems=$((problems + 1))
}
# finish OK_MESSAGE: exit 1 naming the count if a problem was found, else print the message and exit 0.
finish() {
  if ((problems > 0)); then
    echo "preflight ($stack): $problems problem(s)" >&2
    exit 1
  fi
  echo "preflight ($stack): $1"
  exit 0
}

# The Graph application permissions of the deploy app (bootstrap step 4 grants exactly these): create
# the engineers/analysts groups it then owns, resolve user members, manage the Databricks application it
# owns. Nothing directory-wide: the program sets no preventDuplicateNames (policy CA.Deploy.GraphNoDirectoryReads).
DEPLOY_GRAPH_PERMISSIONS="Group.Create User.Read.All Application.ReadWrite.OwnedBy"

# missing WANTED GRANTED: the words of WANTED that are not a line of GRANTED, one per line.
missing() {
  local want
  for want in $1; do grep -qxF "$want" <<<"$2" || echo "$want"; done
}

# jwt_roles TOKEN: the roles claim of a JWT, one per line.
jwt_roles() {
  local payload
  payload="$(cut -d. -f2 <<<"$1" | tr '_-' '/+')"
  while ((${#payload} % 4)); do payload+="="; done
  base64 -d <<<"$payload" 2>/dev/null | jq -r '.roles // [] | .[]'
}

# The metastore privileges the deploy app uses: the storage credential for the access connector, one
# external location per medallion container, the environment's catalog (schemas, tables and grants
# inside it it owns). Step 3 of "Unity Catalog prerequisites" grants exactly these.
UC_METASTORE_PRIVILEGES="CREATE_CATALOG CREATE_EXTERNAL_LOCATION CREATE_STORAGE_CREDENTIAL"
# Azure Databricks' first-party application: the audience of a token for the workspace APIs.
DATABRICKS_RESOURCE="2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"

# unity_catalog OUTPUTS_JSON: the Unity Catalog prerequisites, asked of the workspace.
unity_catalog() {
  local outputs="$1" host assignment metastore summary perms granted key name filter found kind
  host="$(jq -r '.databricksWorkspaceUrl // empty' "$outputs")"
  if [[ -z "$host" ]]; then
    echo "::notice::preflight ($stack): no Databricks workspace yet (first deploy): nothing to ask; the account-admin steps of $doc ('Unity Catalog prerequisites') must be done before the catalog is created"
    return
  fi
  host="${host#https://}"
  host="${host%/}"
  dbx() { az rest --method get --resource "$DATABRICKS_RESOURCE" --url "https://$host$1" --output json; }

  if ! assignment="$(dbx /api/2.1/unity-catalog/current-metastore-assignment)" ||
    ! metastore="$(jq -er '.metastore_id // empty' <<<"$assignment")"; then
    problem "workspace $host has no Unity Catalog metastore assigned: an account admin assigns the region's metastore to it ($doc, 'Unity Catalog prerequisites', step 1)"
  elif summary="$(dbx /api/2.1/unity-catalog/metastore_summary)" && [[ "$(jq -r '.owner // empty' <<<"$summary")" == "${ARM_CLIENT_ID:-}" ]]; then
    echo "preflight ($stack): the deploy app is the admin of metastore $metastore"
  elif ! perms="$(dbx "/api/2.1/unity-catalog/effective-permissions/metastore/$metastore?principal=${ARM_CLIENT_ID:-}")"; then
    problem "cannot read the deploy app's privileges on metastore $metastore ($doc, 'Unity Catalog prerequisites', step 3)"
  else
    granted="$(jq -r '.privilege_assignments[]?.privileges[]?.privilege' <<<"$perms")"
    for priv in $(missing "$UC_METASTORE_PRIVILEGES" "$granted"); do
      problem "the deploy app (${ARM_CLIENT_ID:-}) lacks $priv on metastore $metastore: a metastore admin grants it to the app's application id ($doc, 'Unity Catalog prerequisites', step 3)"
    done
  fi

  for key in engineers analysts; do
    name="$(jq -r --arg k "$key" '.groupNames[$k] // empty' "$outputs")"
    [[ -n "$name" ]] || continue
    filter="$(jq -rn --arg n "$name" '"displayName eq \"\($n)\"" | @uri')"
    if ! found="$(dbx "/api/2.0/preview/scim/v2/Groups?filter=$filter&attributes=displayName,meta")"; then
      problem "cannot list the groups of workspace $host"
      continue
    fi
    kind="$(jq -r '[.Resources[]?.meta.resourceType] | first // empty' <<<"$found")"
    case "$kind" in
    Group) echo "preflight ($stack): the $key group '$name' is an account group in the workspace" ;;
    WorkspaceGroup)
      problem "the $key group '$name' in workspace $host is a workspace-local group: it would shadow the account group of that name; delete it as in $doc ('Migrating an existing deployment to Unity Catalog', step 2)" ;;
    *) echo "::notice::preflight ($stack): the $key group '$name' is not in workspace $host yet: the deploy assigns the account group (automatic identity management resolves it from Entra ID; $doc, 'Unity Catalog prerequisites', step 2)" ;;
    esac
  done
}

if [[ "${2:-}" == --unity-catalog ]]; then
  outputs="${3:?usage: preflight.sh STACK --unity-catalog OUTPUTS_JSON}"
  unity_catalog "$outputs"
  finish "Unity Catalog prerequisites ok"
fi

if [[ "${2:-}" == --graph ]]; then
  if ! token="$(az account get-access-token --resource-type ms-graph --query accessToken -o tsv)" || [[ -z "$token" ]]; then
    problem "no Microsoft Graph token for the deploy app: is the Azure CLI logged in?"
  else
    granted="$(jwt_roles "$token")"
    for perm in $(missing "$DEPLOY_GRAPH_PERMISSIONS" "$granted"); do
      problem "the deploy app lacks the Microsoft Graph application permission $perm: grant and consent it as in $doc (bootstrap step 4)"
    done
  fi
  finish "Graph permissions ok ($DEPLOY_GRAPH_PERMISSIONS)"
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

finish ok
