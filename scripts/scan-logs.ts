/** `npx tsx scripts/scan-logs.ts FILE…`: fails when a log holds a key, token or SAS (CI runs it on the whole test output). */
import { readFileSync } from 'node:fs';
import { AZURITE_KEY } from '../dev/sandbox/azurite';
import { findSecrets } from '../src/telemetry/secretScan';

const files = process.argv.slice(2);
let found = 0;
let characters = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  characters += text.length;
  for (const finding of findSecrets(text, [AZURITE_KEY])) {
    found += 1;
    console.error(`${file}: ${finding.what}: ${finding.excerpt}`);
  }
}
console.log(`secret scan: ${files.length} file(s), ${characters} characters, ${found ? `${found} secret(s)` : 'no secret'}`);
process.exit(found ? 1 : 0);
