/**
 * The secrets a standby's config supplies to a sync (`standbys[].secrets`), against one snapshot: those it left out
 * and whose app setting is set are supplied; one whose setting is missing is a finding naming the setting; one the
 * snapshot did not leave out is a notice (gone, moved to Key Vault, or misspelt). Pure: the settings are handed in.
 */
import type { ApplyPlan, Finding } from './applyPlan';
import type { NotCaptured } from './captureResource';
import { fieldsOf, isSuppliable, isUnresolvedReference, parseSecretPath, SECRET_SETTING, secretPath, UNRESOLVED_REFERENCE_FIX } from './secretFields';

export interface StandbySecret {
  /** As `apim-dr snapshot show` lists it: `namedValues/orders-key`, `caches/default.connectionString`. */
  path: string;
  /** The app setting (`APIM_DR_SECRET_…`) holding the value where the apply runs. */
  setting: string;
}

export interface StandbySecretsOutcome {
  /** By the secret's name as the snapshot lists it: the value to write. Never leaves the process that read it. */
  values: Map<string, string>;
  supplied: string[];
  missingSettings: string[];
  findings: Finding[];
}

/** The config's `secrets` object as the list a sync carries (names only). */
export function standbySecretList(secrets: Record<string, string> | undefined): StandbySecret[] {
  return Object.entries(secrets ?? {}).map(([path, setting]) => ({ path, setting }));
}

export function standbySecrets(
  configured: readonly StandbySecret[],
  notCaptured: readonly NotCaptured[],
  settings: Readonly<Record<string, string | undefined>>,
  context: { target: string; snapshotName: string },
): StandbySecretsOutcome {
  const outcome: StandbySecretsOutcome = { values: new Map(), supplied: [], missingSettings: [], findings: [] };
  const leftOut = new Map(
    notCaptured.flatMap((n) =>
      fieldsOf(n)
        .filter((f) => isSuppliable(n.path, f))
        .map((f) => [secretPath(n.path, f).toLowerCase(), { path: n.path, field: f }]),
    ),
  );
  const where = `services[].standbys[] '${context.target}' secrets`;
  for (const secret of configured) {
    const found = leftOut.get(secret.path.toLowerCase());
    if (!found) {
      outcome.findings.push({
        severity: 'notice',
        code: 'SecretNotLeftOut',
        resource: parseSecretPath(secret.path)?.path ?? secret.path,
        message: `${secret.path}: the config supplies it from '${secret.setting}', but snapshot '${context.snapshotName}' did not leave out such a secret (the resource is not in it, or its secret is a Key Vault reference)`,
        fix: `nothing to do if it is gone or in Key Vault; otherwise check the name in ${where} against 'apim-dr snapshot show ${context.snapshotName}'`,
      });
      continue;
    }
    const name = secretPath(found.path, found.field);
    // Only an APIM_DR_SECRET_… setting is ever read, whatever a payload says (the config allows no other).
    const value = SECRET_SETTING.test(secret.setting) ? settings[secret.setting] : undefined;
    if (value && isUnresolvedReference(value)) {
      outcome.missingSettings.push(secret.setting);
      outcome.findings.push({
        severity: 'partial',
        code: 'SecretSettingUnresolved',
        resource: found.path,
        message: `${name}: the app setting '${secret.setting}' (${where}) is a Key Vault reference App Service could not resolve, so it is not supplied`,
        fix: UNRESOLVED_REFERENCE_FIX,
      });
      continue;
    }
    if (!value) {
      outcome.missingSettings.push(secret.setting);
      outcome.findings.push({
        severity: 'partial',
        code: 'SecretSettingMissing',
        resource: found.path,
        message: `${name}: the app setting '${secret.setting}' (${where}) is not set where the sync runs, so it is not supplied`,
        fix: `add the app setting '${secret.setting}' to the Function App (in Azure a Key Vault reference, @Microsoft.KeyVault(SecretUri=…)); the next sync supplies it`,
      });
      continue;
    }
    outcome.values.set(name, value);
    outcome.supplied.push(name);
  }
  return outcome;
}

/** The plan with the standby's secrets' findings: a partial one makes a fully restorable plan partially so. */
export function withSecretFindings(plan: ApplyPlan, findings: readonly Finding[]): ApplyPlan {
  if (findings.length === 0) return plan;
  const partial = findings.some((f) => f.severity === 'partial');
  return {
    ...plan,
    findings: [...plan.findings, ...findings],
    verdict: partial && plan.verdict === 'Fully restorable' ? 'Partially restorable' : plan.verdict,
  };
}
