/** App settings the Functions host reads besides the config: the timer schedules (binding expressions). */
import { UserError } from '../errors';

export const TICK_SCHEDULE_SETTING = 'APIM_DR_TICK_SCHEDULE';
export const SWEEP_SCHEDULE_SETTING = 'APIM_DR_SWEEP_SCHEDULE';

/** What the Bicep and local.settings.sample.json set; the local host falls back to them too. */
export const DEFAULT_APP_SETTINGS: Readonly<Record<string, string>> = {
  [TICK_SCHEDULE_SETTING]: '0 */5 * * * *',
  [SWEEP_SCHEDULE_SETTING]: '0 30 3 * * *',
};

/** Resolves `%NAME%` binding expressions from app settings, as the Functions host does. */
export function resolveBindingExpression(value: string, settings: NodeJS.ProcessEnv, what: string): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const resolved = settings[name];
    if (!resolved)
      throw new UserError(
        `${what} uses app setting '${name}', which is not set; set it (e.g. '${DEFAULT_APP_SETTINGS[name] ?? '…'}')`,
        'config',
        'AppSettingMissing',
      );
    return resolved;
  });
}
