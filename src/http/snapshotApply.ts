/** HTTP: the dry run of applying a snapshot (DR.Reader) and the apply itself (DR.Restore). */
import { randomUUID } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { Services } from '../services';
import type { OrchestrationStarter } from '../workflows/starter';
import type { ApplyRequest } from '../workflows/snapshot/applySnapshot';
import { requestSnapshotCheck } from '../workflows/snapshot/requestSnapshotCheck';
import { applyTarget } from '../workflows/snapshot/prepareApply';
import { snapshotApplyInstanceId, SnapshotOrchestrations } from '../workflows/snapshot/names';
import { lockConflict } from '../workflows/targetLock';
import { UserError } from '../errors';
import { SECRET_SETTING } from '../domain/snapshot/secretFields';
import type { Caller } from './caller';
import { accepted, parseBody } from './respond';

const applySchema = z.strictObject({
  snapshot: z.string({ message: "'snapshot' must name a snapshot (apim-dr snapshot list)" }).min(1),
  target: z.string({ message: "'target' must be the snapshot's instance or one of its configured standbys" }).min(1),
  only: z.array(z.string().regex(/^[A-Za-z]+\/[^/]+(\/[A-Za-z]+\/[^/]+)*$/, "must be '<collection>/<name>', e.g. 'apis/orders'")).optional(),
  mirror: z.boolean().optional(),
  allowInPlace: z.boolean().optional(),
  /**
   * Secrets the snapshot lacks, each from an app setting of the Functions app: the value never travels in a request or
   * an orchestration's history. Only settings named APIM_DR_SECRET_… may be read, so no caller can copy the app's own
   * settings (its storage connection, say) into an instance's named value.
   */
  set: z
    .array(
      z.strictObject({
        path: z
          .string()
          .regex(
            /^[A-Za-z]+\/[^/=]+(\/[A-Za-z]+\/[^/=]+)*$/,
            "must be '[workspaces/<w>/]namedValues/<name>' or '<type>/<name>.<field>' as the snapshot lists what it did not capture",
          ),
        setting: z.string().regex(SECRET_SETTING, "must name an app setting 'APIM_DR_SECRET_…' that holds the secret"),
      }),
    )
    .optional(),
  overrides: z
    .array(
      z.strictObject({
        path: z.string().regex(/^[A-Za-z]+\/[^/]+(\/[A-Za-z]+\/[^/]+)*$/, "must be '<collection>/<name>'"),
        field: z.string().regex(/^[A-Za-z][\w.-]*$/, "must be a property name, dotted when nested, e.g. 'url'"),
        value: z.string().min(1),
      }),
    )
    .optional(),
  /** The target's name, repeated: the caller's confirmation that its configuration may change. */
  confirm: z.string().optional(),
});

/**
 * The dry run: 200 with the answer when its read is bounded (a small `only` scope); otherwise 202 with a status URL,
 * the whole target being read in parts by an orchestration whose output is the same answer (requestSnapshotCheck.ts).
 */
export async function postSnapshotApplyCheck(
  services: Services,
  starter: OrchestrationStarter,
  request: HttpRequest,
  caller: Caller,
): Promise<HttpResponseInit> {
  const body = await parseBody(request, applySchema);
  const answer = await requestSnapshotCheck(services, starter, {
    snapshotName: body.snapshot,
    target: body.target,
    only: body.only,
    mirror: body.mirror,
    allowInPlace: body.allowInPlace,
    requestedBy: caller.requestedBy,
    ...supplies(body),
  });
  if ('check' in answer) return { status: 200, jsonBody: answer.check };
  return accepted(request, answer.instanceId, 5, { snapshot: body.snapshot, target: answer.target, started: answer.started });
}

export async function postSnapshotApply(services: Services, starter: OrchestrationStarter, request: HttpRequest, caller: Caller): Promise<HttpResponseInit> {
  const body = await parseBody(request, applySchema);
  const manifest = await services.snapshots.readManifest(body.snapshot);
  const target = applyTarget(services, manifest.service.id, manifest.service.name, body.target, !!body.mirror, !!body.allowInPlace);
  if (body.confirm !== target.name) {
    throw new UserError(`confirm with the target's name: send confirm: '${target.name}' (its configuration will change)`, 'usage', 'ConfirmationRequired');
  }
  const input: ApplyRequest = {
    snapshotName: body.snapshot,
    target: target.id,
    only: body.only,
    mirror: body.mirror,
    allowInPlace: body.allowInPlace,
    requestedBy: caller.requestedBy,
    correlationId: randomUUID(),
    ...supplies(body),
  };
  const instanceId = snapshotApplyInstanceId(target.name, target.id);
  // Refused, as a restore is, while the target's lock is held: by a restore, a migration or another apply.
  const { started } = await starter.start(SnapshotOrchestrations.apply, instanceId, input);
  if (!started) throw await lockConflict(starter, target.name, target.id, 'the apply');
  return accepted(request, instanceId, 5, { snapshot: body.snapshot, target: target.name, started });
}

function supplies(body: z.infer<typeof applySchema>): Pick<ApplyRequest, 'set' | 'overrides'> {
  return {
    ...(body.set ? { set: body.set.map((s) => ({ path: s.path, from: { setting: s.setting } })) } : {}),
    ...(body.overrides ? { overrides: body.overrides } : {}),
  };
}
