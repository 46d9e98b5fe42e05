import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/loadConfig';
import { UserError } from '../../../src/errors';
import { createLoopbackCertificate } from '../../../dev/sandbox/certificate';

// A stand-in key's label, spelled apart so that no file in git reads as a private key: the body is not a key.
const KEY_LABEL = ['PRIVATE', 'KEY'].join(' ');

const ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-one';
const dir = mkdtempSync(join(tmpdir(), 'apim-dr-ca-'));
const withCa = (caFile: string) => ({ storage: { account: 'backupacct', container: 'apim-backups' }, arm: { caFile }, services: [{ id: ID }] });

function refusal(caFile: string): UserError {
  try {
    parseConfig(withCa(caFile));
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('arm.caFile is checked as PEM when the config loads', () => {
  let pem = '';
  beforeAll(async () => {
    pem = (await createLoopbackCertificate()).cert;
  });

  it('accepts a file of PEM certificates', () => {
    const file = join(dir, 'ca.pem');
    writeFileSync(file, `${pem}\n${pem}`);
    expect(parseConfig(withCa(file)).arm.caFile).toBe(file);
  });

  it('refuses a file that holds no certificate, naming the field, the file and the fix', () => {
    const file = join(dir, 'ca.der');
    writeFileSync(file, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02]));
    const err = refusal(file);
    expect(err).toMatchObject({ kind: 'config', code: 'CaFileNotPem' });
    expect(err.message).toContain(`arm.caFile '${file}' holds no PEM certificate`);
    expect(err.message).toContain('point it at a PEM file of CA certificates');
  });

  it('refuses a certificate block whose body is not a certificate', () => {
    const file = join(dir, 'broken.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    expect(refusal(file)).toMatchObject({ code: 'CaFileNotPem', message: expect.stringContaining('number 1) that does not parse') });
  });

  it('refuses a file that also holds a private key, without echoing it', () => {
    const file = join(dir, 'with-key.pem');
    const key = `-----BEGIN ${KEY_LABEL}-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END ${KEY_LABEL}-----\n`;
    writeFileSync(file, `${pem}\n${key}`);
    const err = refusal(file);
    expect(err).toMatchObject({ code: 'CaFileHoldsKey' });
    expect(err.message).not.toContain('c2VjcmV0');
  });

  it('refuses a file that does not exist', () => {
    expect(refusal(join(dir, 'missing.pem'))).toMatchObject({ code: 'CaFileUnreadable', message: expect.stringContaining('cannot be read (ENOENT)') });
  });
});
