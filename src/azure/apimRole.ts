/**
 * apim-dr's custom APIM role, which infra/app/apimRole.bicep creates and assigns to the app's identity on every
 * instance it touches: exactly the ARM actions src/azure/apimOperations.ts calls (test/infra checks the two agree).
 */
export const APIM_ROLE = {
  /** The role's name starts with this; `azd provision` adds the environment and a token unique in the tenant. */
  name: 'apim-dr APIM backup and restore',
  actions: [
    'Microsoft.ApiManagement/service/read',
    'Microsoft.ApiManagement/service/backup/action',
    'Microsoft.ApiManagement/service/restore/action',
    'Microsoft.ApiManagement/service/migrateToStv2/action',
    'Microsoft.ApiManagement/service/operationresults/read',
    'Microsoft.ApiManagement/service/workspaceLinks/read',
    'Microsoft.ApiManagement/service/apis/read',
    'Microsoft.ApiManagement/service/products/read',
    'Microsoft.ApiManagement/service/namedValues/read',
  ],
} as const;

/** What to do when ARM refuses the app's identity on an instance. */
export function apimRoleFix(): string {
  return (
    `Assign it apim-dr's role '${APIM_ROLE.name} (<environment> …)' on that instance: \`azd provision\` does so for every instance in the config ` +
    `(and on whole subscriptions with discovery); by hand, any role with ${APIM_ROLE.actions.join(', ')}`
  );
}
