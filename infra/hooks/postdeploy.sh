#!/bin/sh
# Event Grid can subscribe a function only once it is deployed, so the first `azd up` provisions without the
# subscriptions and this hook, after the deploy, provisions once more with them. Later runs skip it.
set -eu
if [ "$(azd env get-value APIM_DR_EVENT_SUBSCRIPTIONS 2>/dev/null || true)" = "true" ]; then
  exit 0
fi
echo "apim-dr: the functions are deployed; subscribing them to configuration-change events"
azd env set APIM_DR_EVENT_SUBSCRIPTIONS true
azd provision --no-prompt
