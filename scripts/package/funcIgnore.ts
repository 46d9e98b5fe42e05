/** `.funcignore` as azd reads it: gitignore rules, relative to the folder being zipped. */
import ignore, { type Ignore } from 'ignore';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const FUNCIGNORE = '.funcignore';

/** The rules of `<dir>/.funcignore`; none when the file does not exist (azd then applies its defaults). */
export function readFuncIgnore(dir: string): Ignore | undefined {
  const file = path.join(dir, FUNCIGNORE);
  if (!existsSync(file)) return undefined;
  return ignore().add(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
}

/** True when azd leaves `relative` (POSIX separators) out of a Functions zip; directories are tested with a trailing '/'. */
export function excludedByAzd(rules: Ignore | undefined, relative: string, isDirectory: boolean): boolean {
  const name = path.posix.basename(relative);
  // azd drops these whatever the ignore file says.
  if (isDirectory && name === '.azure') return true;
  if (!isDirectory && (name === FUNCIGNORE || name === 'local.settings.json')) return true;
  return rules?.ignores(isDirectory ? `${relative}/` : relative) ?? false;
}
