/**
 * azd's preprovision step (infra/hooks/preprovision.sh): validates the config infra/main.parameters.json describes
 * with apim-dr's own schema and prints every problem at once. Exit 0 when it may be deployed, 2 when not.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDeployConfig } from './deployConfig';

const file = process.argv[2] ?? path.join(__dirname, '..', '..', 'infra', 'main.parameters.json');
const problems = checkDeployConfig(readFileSync(file, 'utf8'), process.env);
if (problems.length > 0) {
  console.error(`apim-dr: the config in ${file} cannot be deployed; fix these and run azd provision again:`);
  for (const problem of problems) console.error(`  - ${problem.path || '(root)'}: ${problem.message}`);
  process.exit(2);
}
console.log(`apim-dr: the config in ${file} is valid`);
