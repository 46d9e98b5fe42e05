/** The body of APIM's backup and restore calls: where the backup blob is, and how APIM reaches it. */
import type { ApiManagementServiceBackupRestoreParameters } from '@azure/arm-apimanagement';
import { readSetting } from '../config/loadConfig';
import type { StorageAccess } from '../domain/storageAccess';

export function backupParameters(
  storage: { account: string; container: string },
  settings: NodeJS.ProcessEnv,
  access: StorageAccess,
  backupName: string,
): ApiManagementServiceBackupRestoreParameters {
  const base = { storageAccount: storage.account, containerName: storage.container, backupName };
  switch (access.type) {
    case 'SystemAssignedManagedIdentity':
      return { ...base, accessType: 'SystemAssignedManagedIdentity' };
    case 'UserAssignedManagedIdentity':
      return { ...base, accessType: 'UserAssignedManagedIdentity', clientId: access.clientId };
    case 'AccessKey':
      return { ...base, accessType: 'AccessKey', accessKey: readSetting(access.keySetting, settings) };
  }
}
