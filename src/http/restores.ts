/** HTTP: the restore dry run. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { checkRestore } from '../workflows/check/checkRestore';
import { requestRestore } from '../workflows/restore/requestRestore';
import { rollbackAsk } from '../workflows/restore/rollback';
import { USER_ERROR_KINDS, UserError } from '../errors';
import type { CompatibilityReport } from '../domain/compatibility';
import { busyConflict } from '../workflows/check/busyConflict';
import { restoreDryRun, type RestoreDryRun } from '../workflows/check/restoreDryRun';
import { findingsForHttp, fixForHttp } from './httpFixes';
import type { OrchestrationStarter } from '../workflows/starter';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const instance = (what: string) => z.string({ message: `'${what}' must be the name or resource ID of an APIM instance` }).min(1);

export const checkRequestSchema = z.strictObject({
  source: instance('source'),
  target: instance('target'),
  backup: z.string().min(1).optional(),
  allowInPlace: z.boolean().optional(),
  /** false: the restore would skip the pre-restore backup, so the dry run does not announce one. */
  preRestoreBackup: z.boolean().optional(),
});

const restoreSchema = z
  .strictObject({
    source: instance('source').optional(),
    target: instance('target').optional(),
    backup: z.string().min(1).optional(),
    confirm: z.string().optional(),
    allowInPlace: z.boolean().optional(),
    preRestoreBackup: z.boolean().optional(),
    // A rollback names the restore record to undo; its target and backup come from that record, never from the body.
    rollback: z
      .string({
        message: "'rollback' must be a restore record's name, e.g. 'restores/contoso-apim-neu.20260301T020000Z.123abcd.json' ('apim-dr restores' lists them)",
      })
      .min(1)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.rollback !== undefined) {
      for (const field of ['source', 'target', 'backup', 'allowInPlace', 'preRestoreBackup'] as const)
        if (body[field] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: "a rollback takes its target and backup from the record named in 'rollback': drop this field",
          });
      return;
    }
    for (const field of ['source', 'target'] as const)
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `'${field}' must be the name or resource ID of an APIM instance` });
  });

export async function postRestore(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, restoreSchema);
  const ask = body.rollback
    ? await rollbackAsk(services, body.rollback, caller.requestedBy)
    : { ...body, source: body.source!, target: body.target!, requestedBy: caller.requestedBy };
  // What the dry run can know is answered here, before anything starts: a missing backup is a 404, a verdict of not
  // restorable a 403 with every finding (an expired, expiring or unknown backup, a tier mismatch), its fixes in body fields.
  let refusal: HttpResponseInit | undefined;
  const preflight = async () => {
    const report = await checkRestore(services, {
      source: ask.source,
      target: ask.target,
      backup: ask.backup,
      allowInPlace: ask.allowInPlace === true || ask.purpose === 'rollback',
    });
    // A busy target is a conflict (409): try again once the other operation has finished.
    const busy = busyConflict(report);
    if (busy) throw busy;
    if (report.verdict === 'NotRestorable') {
      const { response, message } = notRestorable(report);
      refusal = response;
      // Stops requestRestore before it starts anything; the response above, with the findings, is what the caller gets.
      throw new UserError(message, 'refused', 'NotRestorable');
    }
  };
  try {
    const started = await requestRestore(services, starter, { ...ask, confirm: body.confirm }, { via: 'http' }, preflight);
    return accepted(request, started.instanceId, 30, {
      target: started.target,
      ...(started.awaitingApproval ? { awaitingApproval: started.awaitingApproval } : {}),
    });
  } catch (err) {
    if (refusal) return refusal;
    throw err;
  }
}

function notRestorable(report: CompatibilityReport): { response: HttpResponseInit; message: string } {
  const findings = findingsForHttp(report.findings);
  const blocking = findings.filter((f) => f.severity === 'blocking');
  const message = `'${report.backupName}' cannot be restored into '${report.target}': ${blocking.map((f) => `${f.code}: ${f.message} (fix: ${f.fix})`).join('; ')}`;
  return { response: { status: USER_ERROR_KINDS.refused.status, jsonBody: { error: { code: 'NotRestorable', message, findings } } }, message };
}

/** The dry run with its fixes, and how to skip what runs first, named as body fields for an HTTP caller. */
export async function postRestoreCheck(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const body = await parseBody(request, checkRequestSchema);
  const report: RestoreDryRun = await restoreDryRun(services, body);
  const { preRestoreBackup: step } = report;
  return {
    status: 200,
    jsonBody: { ...report, findings: findingsForHttp(report.findings), ...(step ? { preRestoreBackup: { ...step, fix: fixForHttp(step.fix) } } : {}) },
  };
}
