import { describe, expect, it } from 'vitest';
import { parseBackupName } from '../../../src/domain/backupName';
import { parseServiceId, SERVICE_NAME } from '../../../src/domain/resourceId';

const id = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${name}`;

describe('the APIM service name rule', () => {
  it('accepts 1 to 50 letters, digits and hyphens that start with a letter and end with a letter or digit', () => {
    for (const name of ['a', 'apim-weu', 'a1', `a${'b'.repeat(49)}`]) expect(SERVICE_NAME.test(name), name).toBe(true);
  });

  it('refuses a leading digit or hyphen, a trailing hyphen, a dot, and 51 characters', () => {
    for (const name of ['1apim', '-apim', 'apim-', 'apim.weu', `a${'b'.repeat(50)}`]) expect(SERVICE_NAME.test(name), name).toBe(false);
  });

  it('is the same rule in resource IDs and in backup names', () => {
    expect(parseServiceId(id('apim-weu'))?.name).toBe('apim-weu');
    expect(parseServiceId(id('apim-'))).toBeUndefined();
    expect(parseBackupName('apim-weu.20260101T000000Z.scheduled.apimbackup')?.service).toBe('apim-weu');
    expect(parseBackupName('apim-.20260101T000000Z.scheduled.apimbackup')).toBeUndefined();
  });
});
