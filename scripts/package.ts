/**
 * `npm run package`: builds the zip that `azd deploy` uploads (see scripts/package/deployPackage.ts) and prints its
 * size and file count. azd runs it itself, from azure.yaml's `prepackage` hook.
 */
import path from 'node:path';
import { buildDeployPackage } from './package/deployPackage';

const root = path.resolve(__dirname, '..');
const built = buildDeployPackage({ root, log: (line) => console.log(`apim-dr package: ${line}`) });
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
console.log(
  `apim-dr package: ${path.relative(root, built.zipPath)}: ${built.files.length} files, ${mb(built.uncompressedBytes)} unzipped, ${mb(built.zipBytes)} zipped`,
);
console.log(`apim-dr package: listing in ${path.relative(root, built.listingPath)}`);
