/**
 * azd's preprovision step (infra/hooks/preprovision.sh): validates the config infra/main.parameters.json describes
 * with apim-dr's own schema and prints every problem at once. With `--azure` it also asks Azure (through the az CLI)
 * for Event Grid system topics that `existingSystemTopics` should name. Exit 0 when it may be deployed, 2 when not.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDeployConfig, substituteEnvironment } from './deployConfig';
import { eventResourceGroups, unreusedSystemTopics, type SystemTopic } from './systemTopics';

const args = process.argv.slice(2);
const askAzure = args.includes('--azure');
const file = args.find((a) => !a.startsWith('--')) ?? path.join(__dirname, '..', '..', 'infra', 'main.parameters.json');
const text = readFileSync(file, 'utf8');
const problems = checkDeployConfig(text, process.env);

if (problems.length === 0 && askAzure) {
  const parameters = (JSON.parse(substituteEnvironment(text, process.env)) as { parameters: Record<string, { value?: unknown } | undefined> }).parameters;
  const groups = eventResourceGroups(parameters['services']?.value);
  try {
    const named = (parameters['existingSystemTopics']?.value ?? {}) as Record<string, string>;
    problems.push(...unreusedSystemTopics(groups, named, systemTopicsIn, process.env['AZURE_ENV_NAME'] ?? ''));
  } catch (err) {
    // Not a reason to stop: the deployment itself reports a duplicate topic, only later.
    console.warn(`apim-dr: could not look for existing Event Grid system topics (${err instanceof Error ? err.message : String(err)}); continuing`);
  }
}

if (problems.length > 0) {
  console.error(`apim-dr: the config in ${file} cannot be deployed; fix these and run azd provision again:`);
  for (const problem of problems) console.error(`  - ${problem.path || '(root)'}: ${problem.message}`);
  process.exit(2);
}
console.log(`apim-dr: the config in ${file} is valid`);

function systemTopicsIn(subscriptionId: string): SystemTopic[] {
  const json = execFileSync('az', ['eventgrid', 'system-topic', 'list', '--subscription', subscriptionId, '--output', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (JSON.parse(json) as SystemTopic[]).map(({ id, source, topicType, tags }) => ({ id, source, topicType, tags }));
}
