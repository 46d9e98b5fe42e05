// apim-dr's Entra ID app registration: the only audience its HTTP API accepts tokens for, the delegated scope a
// person's client asks for, and the app roles that gate each route. Deployed on its own by the preprovision hook
// (infra/hooks/preprovision.sh) when APIM_DR_API_CLIENT_ID is empty, because it needs the Microsoft Graph Bicep
// extension (infra/entra/bicepconfig.json), which the compiler restores from mcr.microsoft.com: main.bicep does not
// depend on it and compiles without it. The deploying account must be allowed to create app registrations.

// Deployed with `az deployment sub create`: before provisioning, apim-dr's resource group does not exist yet.
targetScope = 'subscription'

extension microsoftGraphV1

@description('Immutable unique name of the registration (one per azd environment).')
param uniqueName string
param displayName string

// Each role includes the ones before it (src/http/caller.ts): an Operator may read, a Restore holder may back up.
var roles = [
  { value: 'DR.Reader', displayName: 'DR Reader', description: 'Read the status, dashboard, backups and operations, and run restore dry runs.' }
  { value: 'DR.Operator', displayName: 'DR Operator', description: 'Everything a DR Reader may do, and start backups.' }
  { value: 'DR.Restore', displayName: 'DR Restore', description: 'Everything a DR Operator may do, and restore, roll back and migrate instances.' }
]

resource application 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: uniqueName
  displayName: displayName
  signInAudience: 'AzureADMyOrg'
  api: {
    // v2 tokens carry the client ID as audience, which App Service authentication checks (function.bicep).
    requestedAccessTokenVersion: 2
    // A person's client (the CLI, a script, the portal's test console) asks for this delegated scope; what the
    // person may then do is still decided by the app role assigned to them, never by the scope alone.
    oauth2PermissionScopes: [
      {
        id: guid(uniqueName, 'user_impersonation')
        value: 'user_impersonation'
        type: 'User'
        isEnabled: true
        adminConsentDisplayName: 'Use apim-dr as the signed-in user'
        adminConsentDescription: 'Lets the client call apim-dr\'s HTTP API as the signed-in user, within that user\'s DR app role.'
        userConsentDisplayName: 'Use apim-dr as you'
        userConsentDescription: 'Lets the client call apim-dr\'s HTTP API as you, within your DR app role.'
      }
    ]
  }
  appRoles: [
    for role in roles: {
      id: guid(uniqueName, role.value)
      value: role.value
      displayName: role.displayName
      description: role.description
      allowedMemberTypes: ['User', 'Application']
      isEnabled: true
    }
  ]
}

// Only users, groups and apps given one of the roles can get a token for apim-dr at all.
resource servicePrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: application.appId
  appRoleAssignmentRequired: true
}

output clientId string = application.appId
output servicePrincipalId string = servicePrincipal.id
