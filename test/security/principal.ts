/** Builds `x-ms-client-principal` as App Service sets it for a validated Entra ID token. */
export interface TestPrincipal {
  upn?: string;
  appId?: string;
  objectId: string;
  roles: string[];
}

export function principalHeader(p: TestPrincipal): string {
  const claims = [
    { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: p.objectId },
    ...(p.upn ? [{ typ: 'preferred_username', val: p.upn }] : []),
    ...(p.appId ? [{ typ: 'azp', val: p.appId }] : []),
    ...p.roles.map((role) => ({ typ: 'roles', val: role })),
  ];
  return Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'preferred_username', role_typ: 'roles', claims })).toString('base64');
}

export const READER: TestPrincipal = { upn: 'reader@contoso.example', objectId: '11111111-0000-0000-0000-000000000001', roles: ['DR.Reader'] };
export const OPERATOR: TestPrincipal = { upn: 'operator@contoso.example', objectId: '11111111-0000-0000-0000-000000000002', roles: ['DR.Operator'] };
export const RESTORER: TestPrincipal = { upn: 'restorer@contoso.example', objectId: '11111111-0000-0000-0000-000000000003', roles: ['DR.Restore'] };
export const NO_ROLE: TestPrincipal = { upn: 'guest@contoso.example', objectId: '11111111-0000-0000-0000-000000000004', roles: [] };
export const PIPELINE: TestPrincipal = {
  appId: '22222222-0000-0000-0000-000000000001',
  objectId: '11111111-0000-0000-0000-000000000005',
  roles: ['DR.Operator'],
};
/** A second person holding DR.Restore: the one who may approve what RESTORER asks. */
export const SECOND_RESTORER: TestPrincipal = { upn: 'second@contoso.example', objectId: '11111111-0000-0000-0000-000000000006', roles: ['DR.Restore'] };
