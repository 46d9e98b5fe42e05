/**
 * What the deployment zip may hold, chosen rather than left over: the compiled app, the host's config and the
 * package manifests (production `node_modules` is installed into the staging folder from the lockfile). Anything
 * else at the project root, a `.env`, a key, `local.settings.json`, never reaches the staging folder.
 */
export const SHIPPED_ROOT_ENTRIES: ReadonlySet<string> = new Set(['dist', 'host.json', 'package.json', 'package-lock.json']);

/** Names that hold secrets and have no business in compiled output: refused if one turns up inside `dist/`. */
const SECRET_SHAPED = /(^|\/)(\.env(\..*)?|local\.settings(\..*)?\.json|[^/]*\.(pem|key|pfx|p12|crt|cer))$/i;

/** True when `relative` (POSIX, from the project root) may be staged; directories are asked before their files. */
export function isShipped(relative: string): boolean {
  const top = relative.split('/')[0]!;
  return SHIPPED_ROOT_ENTRIES.has(top);
}

/** The secret-shaped files among `files` (paths inside `dist/`): the build stops naming them. */
export function secretShaped(files: readonly string[]): string[] {
  return files.filter((file) => SECRET_SHAPED.test(file));
}
