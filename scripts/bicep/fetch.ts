/** `npm run bicep:fetch`: puts the pinned Bicep CLI in .tools/ (see scripts/bicep/bicepCli.ts) and prints its version. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { locateBicep } from './bicepCli';

async function main(): Promise<void> {
  const bicep = await locateBicep(path.resolve(__dirname, '..', '..'));
  if (!bicep.found) {
    console.error(`apim-dr: ${bicep.reason}`);
    process.exit(1);
  }
  const version = execFileSync(bicep.path, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`apim-dr: ${version}: ${bicep.source}`);
}

void main();
