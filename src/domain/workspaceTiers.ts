/**
 * Where an APIM instance can have workspaces, and so workspace gateways: Premium among the classic tiers (and the v2
 * tiers Standard v2 and Premium v2). Elsewhere ARM answers a request for workspace links with 400
 * `MethodNotAllowedInPricingTier`, which means there are none.
 */
export const WORKSPACE_TIERS = ['Premium', 'StandardV2', 'PremiumV2'];

export function canHaveWorkspaces(skuName: string): boolean {
  return WORKSPACE_TIERS.includes(skuName);
}
