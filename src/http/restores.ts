/** HTTP: the restore dry run. */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import { checkRestore } from '../workflows/check/checkRestore';
import { requestRestore } from '../workflows/restore/requestRestore';
import { rollbackAsk } from '../workflows/restore/rollback';
import type { OrchestrationStarter } from '../workflows/starter';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const instance = (what: string) => z.string({ message: `'${what}' must be the name or resource ID of an APIM instance` }).min(1);

export const checkRequestSchema = z.strictObject({
  source: instance('source'),
  target: instance('target'),
  backup: z.string().min(1).optional(),
  allowInPlace: z.boolean().optional(),
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
  const started = await requestRestore(services.config, starter, { ...ask, confirm: body.confirm });
  return accepted(request, started.instanceId, 30, { target: started.target });
}

export async function postRestoreCheck(services: Services, request: HttpRequest): Promise<HttpResponseInit> {
  const body = await parseBody(request, checkRequestSchema);
  return { status: 200, jsonBody: await checkRestore(services, body) };
}
