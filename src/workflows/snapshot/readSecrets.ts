/**
 * Reads the secrets an apply was given, where the apply runs: each from its app setting (or environment variable) or
 * file. The values stay in this process: returned to the apply, never logged, recorded or put in a payload.
 */
import { readFile } from 'node:fs/promises';
import type { SecretSupply } from './applySupplies';
import { isUnresolvedReference, UNRESOLVED_REFERENCE_FIX } from '../../domain/snapshot/secretFields';
import { UserError } from '../../errors';
import type { Services } from '../../services';

export async function readSecrets(services: Services, supplies: readonly SecretSupply[]): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (const s of supplies) {
    const value = 'setting' in s.from ? services.settings[s.from.setting] : await readSecretFile(s.path, s.from.file);
    if (!value) {
      const where = 'setting' in s.from ? `the setting or environment variable '${s.from.setting}' is not set` : `'${s.from.file}' is empty`;
      throw new UserError(`the secret for ${s.path} was not found: ${where}`, 'usage', 'SecretMissing');
    }
    if ('setting' in s.from && isUnresolvedReference(value)) {
      throw new UserError(
        `the secret for ${s.path} was not found: the setting '${s.from.setting}' is a Key Vault reference App Service could not resolve: ${UNRESOLVED_REFERENCE_FIX}`,
        'usage',
        'SecretUnresolved',
      );
    }
    secrets.set(s.path, value);
  }
  return secrets;
}

/** A certificate's `data` is the PFX itself: its file is read as bytes and written base64, as ARM takes it. */
const PFX_DATA = /^certificates\/[^/]+\.data$/i;

async function readSecretFile(path: string, file: string): Promise<string> {
  try {
    if (PFX_DATA.test(path)) return (await readFile(file)).toString('base64');
    // A file ends with a newline more often than a secret does.
    return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new UserError(`--set ${path}: cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'usage', 'SecretUnreadable');
  }
}
