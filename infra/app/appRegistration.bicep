// apim-dr's Entra ID app registration: the only audience its HTTP API accepts tokens for, and the app roles that
// gate each route. Created with the Microsoft Graph Bicep extension (infra/bicepconfig.json); the deploying
// account needs to be allowed to create app registrations in the tenant.

extension microsoftGraphV1

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
  api: { requestedAccessTokenVersion: 2 }
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
