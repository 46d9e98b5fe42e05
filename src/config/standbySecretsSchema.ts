/**
 * `services[].standbys[].secrets`: which app settings supply the secrets a snapshot leaves out, when syncs keep this
 * standby: `{ "namedValues/orders-key": "APIM_DR_SECRET_ORDERS_KEY", "caches/default.connectionString": "APIM_DR_SECRET_NEU_REDIS" }`.
 * Per standby, for the values are the standby's own (its region's Redis, its own backend keys). Names only: the values
 * are read where the apply runs.
 */
import { z } from 'zod';
import { parseSecretPath, SECRET_SETTING } from '../domain/snapshot/secretFields';

const EXAMPLES = 'namedValues/<name>, caches/<id>.connectionString, backends/<id>.credentials.header.<header>, identityProviders/<type>.clientSecret';

export const standbySecretsSchema = z.record(z.string(), z.string()).superRefine((secrets, ctx) => {
  const seen = new Map<string, string>();
  for (const [path, setting] of Object.entries(secrets)) {
    if (!parseSecretPath(path)) {
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message: `'${path.slice(0, 120)}' does not name a secret a snapshot leaves out and apim-dr can supply: write ${EXAMPLES} (the names 'apim-dr snapshot show <snapshot>' lists under not captured)`,
      });
    }
    // The value is never echoed: a value that is not a setting's name may be the secret itself, pasted in.
    if (!SECRET_SETTING.test(setting)) {
      ctx.addIssue({
        code: 'custom',
        path: [path],
        message:
          "must be the NAME of an app setting starting 'APIM_DR_SECRET_' (letters, digits, _) that holds the secret (in Azure a Key Vault reference), not the secret itself, nor another of the app's settings; the value given is not shown",
      });
    }
    const first = seen.get(path.toLowerCase());
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [path], message: `names the same secret as '${first}' (names are case-insensitive): keep one` });
    } else seen.set(path.toLowerCase(), path);
  }
});
