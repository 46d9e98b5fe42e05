/** How an APIM instance reaches the backup container: its own managed identity, or an access key named by app setting. */
export type StorageAccess =
  | { type: 'SystemAssignedManagedIdentity' }
  | { type: 'UserAssignedManagedIdentity'; clientId: string }
  /** `keySetting` is the NAME of the app setting that holds the key, never the key. */
  | { type: 'AccessKey'; keySetting: string };
