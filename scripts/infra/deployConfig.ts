/**
 * The apim-dr config that `azd provision` would deploy, checked on the operator's machine before anything is
 * touched: the services, defaults and discovery of infra/main.parameters.json go through the app's own zod schema
 * (src/config), plus what only this deployment refuses. main.bicep builds APIM_DR_CONFIG from the same values.
 */
import { parseConfig } from '../../src/config/loadConfig';
import { ValidationError, UserError } from '../../src/errors';

export type FieldProblem = { path: string; message: string };

type ParametersFile = { parameters?: Record<string, { value?: unknown } | undefined> };

/** azd's substitution in a parameters file: `${NAME}` and `${NAME=default}` from the environment. */
export function substituteEnvironment(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:=([^}]*))?\}/g, (_all, name: string, fallback?: string) =>
    JSON.stringify(env[name] || fallback || '').slice(1, -1),
  );
}

/** Every problem with the config the parameters file describes; empty when `azd provision` may go ahead. */
export function checkDeployConfig(parametersText: string, env: NodeJS.ProcessEnv): FieldProblem[] {
  let file: ParametersFile;
  try {
    file = JSON.parse(substituteEnvironment(parametersText, env)) as ParametersFile;
  } catch (err) {
    return [{ path: '(file)', message: `is not valid JSON after azd's \${VAR} substitution: ${err instanceof Error ? err.message : String(err)}` }];
  }
  const value = (name: string) => file.parameters?.[name]?.value;
  const services = value('services');
  const defaults = value('defaults') ?? {};
  const discovery = value('discovery');
  const container = value('backupContainerName') ?? 'apim-backups';
  // The storage values are filled in by the deployment; placeholders of the right shape stand in for them here.
  const config = {
    storage: { account: 'stbakpreprovision', container, endpoint: 'https://stbakpreprovision.blob.core.windows.net' },
    auth: 'managed-identity',
    defaults,
    services,
    ...(discovery && Object.keys(discovery).length > 0 ? { discovery } : {}),
  };
  const problems: FieldProblem[] = [];
  try {
    parseConfig(config, 'infra/main.parameters.json');
  } catch (err) {
    if (err instanceof ValidationError) problems.push(...err.problems);
    else if (err instanceof UserError) problems.push({ path: '(config)', message: err.message });
    else throw err;
  }
  problems.push(...accessKeyProblems(services, defaults));
  return problems;
}

const ACCESS_KEY_FIX =
  'AccessKey needs shared keys on the backup account, which this deployment keeps off (Entra ID only), so the instance could never back up; use SystemAssignedManagedIdentity or UserAssignedManagedIdentity';

function accessKeyProblems(services: unknown, defaults: unknown): FieldProblem[] {
  const isAccessKey = (holder: unknown) => (holder as { access?: { type?: unknown } } | undefined)?.access?.type === 'AccessKey';
  const problems: FieldProblem[] = [];
  if (isAccessKey(defaults)) problems.push({ path: 'defaults.access.type', message: ACCESS_KEY_FIX });
  if (Array.isArray(services)) {
    services.forEach((service, i) => {
      if (isAccessKey(service)) problems.push({ path: `services[${i}].access.type`, message: ACCESS_KEY_FIX });
    });
  }
  return problems;
}
