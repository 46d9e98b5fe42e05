/** Where this apim-dr checkout or package lives: for the demo's settings and the version. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';

/** The project's root: the nearest folder above `from` holding apim-dr's package.json. */
export function projectRoot(from = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'apim-dr') return dir;
      } catch {
        // Not ours: keep looking upwards.
      }
    }
    if (dir === parse(dir).root) return undefined;
  }
}
