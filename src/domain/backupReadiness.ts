/** Can this instance be backed up right now? Findings that stop a backup before ARM is asked. */
import type { StorageAccess } from './storageAccess';
import { isTierSupported, type ServiceSnapshot } from './service';

export interface ReadinessProblem {
  code: string;
  message: string;
  fix: string;
}

export function checkBackupReadiness(service: ServiceSnapshot, workspaceGateways: number, access: StorageAccess): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  if (!isTierSupported(service.sku.name)) {
    problems.push({
      code: 'TierNotSupported',
      message: `'${service.name}' is on the ${service.sku.name} tier, which has no backup and restore`,
      fix: `protect it with configuration snapshots ('apim-dr snapshot create ${service.name}', services[].snapshots in the config), or move it to Developer, Basic, Standard or Premium`,
    });
  }
  if (workspaceGateways > 0) {
    problems.push({
      code: 'WorkspaceGateways',
      message: `'${service.name}' has ${workspaceGateways} workspace gateway(s); APIM cannot back up instances with workspace gateways`,
      fix: 'remove the workspace gateways or protect the workspaces by configuration export',
    });
  }
  if (access.type === 'SystemAssignedManagedIdentity' && !service.identity.type.includes('SystemAssigned')) {
    problems.push({
      code: 'IdentityMissing',
      message: `access type SystemAssignedManagedIdentity, but '${service.name}' has no system-assigned identity (identity.type is '${service.identity.type}')`,
      fix: "enable the instance's system-assigned identity and grant it Storage Blob Data Contributor on the backup container",
    });
  }
  if (access.type === 'UserAssignedManagedIdentity' && !service.identity.userAssignedClientIds.includes(access.clientId)) {
    problems.push({
      code: 'IdentityMissing',
      message: `access clientId '${access.clientId}' is not a user-assigned identity of '${service.name}' (it has ${service.identity.userAssignedClientIds.length ? service.identity.userAssignedClientIds.join(', ') : 'none'})`,
      fix: 'assign that identity to the instance, or set access.clientId to one it has',
    });
  }
  return problems;
}
