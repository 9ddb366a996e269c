#!/usr/bin/env bash
# Cache Azure CLI access tokens right after azure/login.
#
# azure/login hands the Azure CLI a GitHub OIDC token that Entra ID accepts as a client assertion
# for about ten minutes (Azure/azure-cli#28708). After that the CLI cannot get a token for a
# resource it has not asked for yet. The Pulumi CLI (azblob state, azurekeyvault secrets) and the
# Databricks provider authenticate through the CLI and may first need their token long after
# login (a cold `go build` of the program takes minutes), so ask for every token now: each is then
# served from the CLI cache for its lifetime (60-90 minutes). The Azure providers themselves use
# ARM_USE_OIDC and fetch fresh GitHub tokens on their own.
set -euo pipefail

resources=(
  https://management.azure.com/        # ARM (az commands, smoke checks)
  https://management.core.windows.net/ # ARM, as the Databricks SDK asks for it
  https://storage.azure.com/           # Pulumi state in azblob
  https://vault.azure.net              # Pulumi secrets provider (azurekeyvault)
  2ff814a6-3304-4ab8-85cb-cd0e6f879c1d # Azure Databricks (first-party application id)
)
for resource in "${resources[@]}"; do
  az account get-access-token --resource "$resource" --output none
  echo "cached a token for $resource"
done
