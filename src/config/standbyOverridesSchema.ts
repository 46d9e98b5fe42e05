/**
 * `services[].standbys[].overrides`: the standby's own environment values, which a sync writes instead of the
 * source's: `{ "backends/orders.url": "https://orders.neu.example", "apis/orders.serviceUrl": "https://…" }`, the
 * syntax of `--override` (`<type>/<name>.<field>`). Per standby, for each standby is in its own region.
 */
import { z } from 'zod';
import { parseSecretPath } from '../domain/snapshot/secretFields';
import { parseOverrideTarget } from '../domain/snapshot/valueOverrides';

/** What an echo of a path or a value in a message is cut to: a config may hold a long one by mistake. */
const ECHO = 80;
const echo = (text: string) => (text.length > ECHO ? `${text.slice(0, ECHO)}…` : text);

/** Fields a URL goes in: a value there that is not one is a mistake a sync would write into the standby. */
const URL_FIELDS = new Set(['url', 'serviceurl']);

export const standbyOverridesSchema = z.record(z.string(), z.string()).superRefine((overrides, ctx) => {
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(overrides)) {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    const target = parseOverrideTarget(key);
    if (!target) {
      issue(
        `'${echo(key)}' does not name a field of a resource: write <type>/<name>.<field> as for --override, e.g. backends/orders.url, apis/orders.serviceUrl, caches/default.resourceId, loggers/appinsights.resourceId`,
      );
      continue;
    }
    // A secret is never in the config: it is named under secrets, by the app setting that holds it.
    if (parseSecretPath(key)) {
      issue(`'${echo(key)}' is a secret: name the APIM_DR_SECRET_ app setting that holds it under secrets instead; the value given is not shown`);
      continue;
    }
    if (!value.trim()) issue('is empty: give the value the standby should use, or remove the entry');
    // Named values are resolved in policies only: a backend's URL or an API's serviceUrl would hold the braces as they are.
    else if (/\{\{[^}]*\}\}/.test(value)) {
      issue(`'${echo(value)}' references a named value, which APIM resolves in policies only, not in ${target.field}: write the standby's value itself`);
    } else if (URL_FIELDS.has(target.field.toLowerCase()) && !isHttpUrl(value)) {
      issue(`'${echo(value)}' is not an absolute http(s) URL: write the standby's ${target.field}, e.g. https://orders.neu.contoso.example`);
    }
    const first = seen.get(key.toLowerCase());
    if (first !== undefined) issue(`overrides the same field as '${echo(first)}' (names are case-insensitive): keep one`);
    else seen.set(key.toLowerCase(), key);
  }
});

function isHttpUrl(text: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
