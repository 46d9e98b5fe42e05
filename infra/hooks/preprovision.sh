#!/bin/sh
# Before anything is deployed: (1) the config in infra/main.parameters.json must pass apim-dr's own validation, and
# an Event Grid system topic that already watches one of its resource groups must be named for reuse; (2) apim-dr's Entra ID app registration must exist. It is deployed from infra/entra/appRegistration.bicep with the
# Azure CLI, apart from main.bicep, because it needs the Microsoft Graph Bicep extension; set APIM_DR_API_CLIENT_ID
# yourself (`azd env set APIM_DR_API_CLIENT_ID <client id>`) to use an existing registration instead.
set -eu
npx --no-install tsx scripts/infra/preprovision.ts --azure

if [ -n "$(azd env get-value APIM_DR_API_CLIENT_ID 2>/dev/null || true)" ]; then
  exit 0
fi
if ! command -v az >/dev/null 2>&1; then
  echo "apim-dr: APIM_DR_API_CLIENT_ID is not set and the Azure CLI (az) is not installed to create the app registration." >&2
  echo "apim-dr: install az and run 'az login', or create the registration yourself and run: azd env set APIM_DR_API_CLIENT_ID <client id>" >&2
  exit 1
fi
echo "apim-dr: creating the Entra ID app registration for apim-dr (${AZURE_ENV_NAME})"
client_id=$(az deployment sub create \
  --subscription "$AZURE_SUBSCRIPTION_ID" \
  --name "apim-dr-entra-${AZURE_ENV_NAME}" \
  --location "$AZURE_LOCATION" \
  --template-file infra/entra/appRegistration.bicep \
  --parameters uniqueName="apim-dr-${AZURE_ENV_NAME}-${AZURE_SUBSCRIPTION_ID}" displayName="apim-dr (${AZURE_ENV_NAME})" \
  --query properties.outputs.clientId.value --output tsv)
azd env set APIM_DR_API_CLIENT_ID "$client_id"
