/**
 * The local host's Durable Task runtime: it keeps each orchestration's history, feeds it to the registered
 * orchestrator (the real durable-functions replay code), and carries out what the orchestrator leaves open:
 * activities (with retries), timers, sub-orchestrations, external events, continue-as-new.
 */
import { availableParallelism } from 'node:os';
import { ensureError } from '../errors';
import { isActive, type RuntimeStatus } from '../workflows/starter';
import type { InvocationContext } from '@azure/functions';
import type { HostClock } from './hostClock';
import { triggerOf, type Registration } from './registration';
import { createInvocationContext } from './invocationContext';
import { PayloadMeter, type LargestPayload } from './payloadLimit';

// HistoryEventType and ActionType values of durable-functions v3 (the wire protocol with the extension).
const Ev = {
  ExecutionStarted: 0,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubCreated: 7,
  SubCompleted: 8,
  SubFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventRaised: 15,
} as const;
const Act = { CallActivity: 0, CallActivityWithRetry: 1, CallSub: 2, CallSubWithRetry: 3, ContinueAsNew: 4, CreateTimer: 5, WaitForExternalEvent: 6 } as const;
const REPLAY_SCHEMA_V3 = 2;
/** The events whose processing the Durable Task Scheduler bills as an action: results, timers and external events. */
const BILLED_EVENTS: ReadonlySet<number> = new Set([Ev.TaskCompleted, Ev.TaskFailed, Ev.SubCompleted, Ev.SubFailed, Ev.TimerFired, Ev.EventRaised]);

type HistoryEvent = Record<string, unknown> & { EventType: number; EventId: number; Timestamp: string; IsPlayed: boolean };

interface RetryOptionsShape {
  firstRetryIntervalInMilliseconds: number;
  backoffCoefficient: number;
  maxRetryIntervalInMilliseconds: number;
}

interface ActionShape {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  fireAt?: Date;
  retryOptions?: RetryOptionsShape;
  compoundActions?: ActionShape[];
}

interface OpenTask {
  id: number | false;
  actionObj?: ActionShape | string;
  parent?: OpenTask & { isWaitingOnTimer: boolean; attemptNumber: number; retryOptions: RetryOptionsShape; innerTask: OpenTask };
}

export interface OrchestrationInstance {
  instanceId: string;
  name: string;
  input: unknown;
  runtimeStatus: RuntimeStatus;
  createdTime: Date;
  lastUpdatedTime: Date;
  output?: unknown;
  customStatus?: unknown;
  history: HistoryEvent[];
  /** Episodes executed, across continue-as-new: for benchmarks. */
  episodes: number;
  /** History events fed to the orchestrator, summed over its episodes (each replays the whole history): for benchmarks. */
  replayedEvents: number;
  /** The longest history any one execution reached (continue-as-new starts a fresh one): for benchmarks. */
  peakHistory: number;
  /**
   * Actions as the Durable Task Scheduler bills them: each start (and continue-as-new), each activity started and each
   * result processed (activity or sub-orchestration), each timer completed, each external event, each termination.
   */
  actions: number;
  parent?: { instanceId: string; taskId: number };
  // Engine bookkeeping:
  inbox: HistoryEvent[];
  handled: Set<number>;
  actionLog: string[];
  cancels: (() => void)[];
  busy: boolean;
  generation: number;
}

export interface EngineHooks {
  /** How many extra times to execute this activity (an at-least-once redelivery); the last result counts. */
  duplicateActivity?: (name: string, input: unknown) => number;
  /**
   * Runs a duplicate of this activity at the same time as the original, as the real runtime may (a redelivery while
   * the first execution still runs): the duplicate starts after this many event-loop turns (0: at once), and the
   * first execution to finish decides the result. `undefined`: no duplicate.
   */
  concurrentDuplicate?: (name: string, input: unknown) => number | undefined;
  /** The per-message payload limit; the Durable Task Scheduler's 1 MiB unless a test asks for another. */
  payloadLimitBytes?: number;
  /** Binding data for `durableClient` inputs of activities (the host's durable HTTP API). */
  durableClientData?: () => Record<string, unknown>;
  /** Receives Azure Functions log levels (`information`, `warning`, `error`, …). */
  log?: (level: string, message: string, properties: Record<string, unknown>) => void;
  /** Activities run at once; more wait their turn. The extension's default (`maxConcurrentActivityFunctions`): 10 per core. */
  maxConcurrentActivities?: number;
  /**
   * What is kept of finished orchestrations, so that a long run's memory stays flat: the histories of the newest
   * `histories` (older ones keep their status and output), and the newest `instances` at all (older ones are purged,
   * as a task hub's retention purges them). Defaults 1,000 and 50,000.
   */
  retainFinished?: { histories?: number; instances?: number };
}

export class DurableEngine {
  readonly instances = new Map<string, OrchestrationInstance>();
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private activitiesRunning = 0;
  private readonly activityQueue: (() => void)[] = [];
  private readonly maxActivities: number;
  /** Activity executions, by name: benchmarks and tests read it. */
  readonly activityCalls = new Map<string, number>();
  /** Calls of the Durable HTTP API (`GET instances`, `GET instances/{id}`, …), as clients make them: benchmarks read it. */
  readonly apiCalls = new Map<string, number>();
  /** Finished instances, oldest first, with the generation that finished (a restarted ID is no longer finished). */
  private readonly finished: { instanceId: string; generation: number }[] = [];
  private finishedHead = 0;
  private historiesDropped = 0;
  /** Measures every payload against the scheduler's limit and keeps the largest: benchmarks read `largestPayload`. */
  private readonly payloads: PayloadMeter;

  constructor(
    private readonly functions: Map<string, Registration>,
    private readonly clock: HostClock,
    private readonly hooks: EngineHooks = {},
  ) {
    this.maxActivities = hooks.maxConcurrentActivities ?? 10 * availableParallelism();
    this.payloads = new PayloadMeter(hooks.payloadLimitBytes);
  }

  /** The largest payload (input, output, event, custom status) any instance or activity carried so far. */
  get largestPayload(): LargestPayload {
    return this.payloads.largest;
  }

  /**
   * Starts a new instance; refuses (returns false) while an instance with that ID is Pending or Running. Throws
   * PayloadTooLargeError, creating nothing, when the input is over the scheduler's limit (as the client's start fails).
   */
  start(name: string, instanceId: string, input: unknown, parent?: { instanceId: string; taskId: number }): boolean {
    this.registration(name, 'orchestrationTrigger');
    this.payloads.check(`input of orchestration '${name}'`, serialize(input));
    const existing = this.instances.get(instanceId);
    if (existing && (existing.runtimeStatus === 'Running' || existing.runtimeStatus === 'Pending')) return false;
    existing?.cancels.forEach((cancel) => cancel());
    const now = this.clock.now();
    const instance: OrchestrationInstance = {
      instanceId,
      name,
      input,
      runtimeStatus: 'Pending',
      createdTime: now,
      lastUpdatedTime: now,
      history: [],
      episodes: 0,
      replayedEvents: 0,
      peakHistory: 0,
      actions: 1,
      parent,
      inbox: [event(Ev.ExecutionStarted, -1, now, { Name: name, Input: serialize(input) })],
      handled: new Set(),
      actionLog: [],
      cancels: [],
      busy: false,
      generation: (existing?.generation ?? 0) + 1,
    };
    this.instances.set(instanceId, instance);
    this.wake(instance);
    return true;
  }

  raiseEvent(instanceId: string, name: string, data: unknown): boolean {
    const instance = this.instances.get(instanceId);
    if (!instance || !isActive(instance.runtimeStatus)) return false;
    this.payloads.check(`payload of event '${name}'`, serialize(data));
    this.deliver(instance, instance.generation, event(Ev.EventRaised, -1, this.clock.now(), { Name: name, Input: serialize(data) }));
    return true;
  }

  terminate(instanceId: string, reason: string): boolean {
    const instance = this.instances.get(instanceId);
    if (!instance || !isActive(instance.runtimeStatus)) return false;
    instance.cancels.forEach((cancel) => cancel());
    instance.actions += 1;
    this.finish(instance, 'Terminated', reason);
    return true;
  }

  /** Resolves once no episode, activity or sub-orchestration start is in flight. */
  async idle(): Promise<void> {
    for (let quiet = 0; quiet < 2;) {
      if (this.inFlight === 0) {
        quiet += 1;
        await new Promise((resolve) => setImmediate(resolve));
      } else {
        quiet = 0;
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    }
  }

  /** Counts `work` as in flight, so `idle()` waits for it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight += 1;
    return work.finally(() => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.waiters.splice(0).forEach((resolve) => resolve());
    });
  }

  private deliver(instance: OrchestrationInstance, generation: number, e: HistoryEvent): void {
    // Events for an execution that has since continued-as-new or restarted are dropped, as Durable does.
    if (instance.generation !== generation || !isActive(instance.runtimeStatus)) return;
    if (BILLED_EVENTS.has(e.EventType)) instance.actions += 1;
    instance.inbox.push(e);
    this.wake(instance);
  }

  private wake(instance: OrchestrationInstance): void {
    if (instance.busy) return;
    instance.busy = true;
    void this.track(this.drain(instance));
  }

  private async drain(instance: OrchestrationInstance): Promise<void> {
    try {
      while (instance.inbox.length > 0 && isActive(instance.runtimeStatus)) await this.episode(instance);
    } finally {
      instance.busy = false;
    }
  }

  /** One orchestrator execution: replay the history plus the new events, then act on what is left open. */
  private async episode(instance: OrchestrationInstance): Promise<void> {
    const registration = this.registration(instance.name, 'orchestrationTrigger');
    const now = this.clock.now();
    const fresh = instance.inbox.splice(0);
    const history = [...instance.history, event(Ev.OrchestratorStarted, -1, now), ...fresh];
    instance.runtimeStatus = 'Running';
    instance.episodes += 1;
    instance.replayedEvents += history.length;
    // A new context per episode: the orchestrator keeps its replay state on `context.df`.
    const context = this.context(registration, instance.instanceId);
    const trigger = {
      history: history.map((e, i) => ({ ...e, IsPlayed: i < instance.history.length })),
      input: instance.input,
      instanceId: instance.instanceId,
      isReplaying: instance.history.length > 0,
      parentInstanceId: instance.parent?.instanceId,
      upperSchemaVersion: REPLAY_SCHEMA_V3,
      maximumShortTimerDuration: '6.00:00:00',
      longRunningTimerIntervalDuration: '3.00:00:00',
    };
    let state: { isDone: boolean; actions: ActionShape[][]; output?: unknown; customStatus?: unknown };
    try {
      state = (await registration.callback(trigger, context)) as typeof state;
    } catch (err) {
      instance.history = history;
      this.finish(instance, 'Failed', orchestratorError(err));
      return;
    }
    instance.history = [...history, event(Ev.OrchestratorCompleted, -1, now)];
    instance.peakHistory = Math.max(instance.peakHistory, instance.history.length);
    instance.customStatus = state.customStatus;
    instance.lastUpdatedTime = now;

    const actions = state.actions[0] ?? [];
    const checked = instance.actionLog.length;
    const nondeterminism = this.checkDeterminism(instance, actions);
    if (nondeterminism) {
      this.finish(instance, 'Failed', nondeterminism);
      return;
    }
    const oversized = this.oversizedPayload(instance, actions.slice(checked), state);
    if (oversized) {
      // The scheduler refuses the orchestrator's whole work item: nothing it asked for is carried out.
      this.finish(instance, 'Failed', oversized);
      return;
    }
    const continueAsNew = actions.find((a) => a.actionType === Act.ContinueAsNew);
    if (continueAsNew) {
      this.restart(instance, continueAsNew.input);
      return;
    }
    if (state.isDone) {
      this.finish(instance, 'Completed', state.output);
      return;
    }
    this.scheduleOpenTasks(instance, context, now);
  }

  /** The first payload of this episode over the scheduler's limit, as the failure to report; undefined when all fit. */
  private oversizedPayload(
    instance: OrchestrationInstance,
    fresh: ActionShape[],
    state: { isDone: boolean; output?: unknown; customStatus?: unknown },
  ): string | undefined {
    const of = `orchestration '${instance.name}'`;
    try {
      for (const action of fresh.flatMap((a) => [a, ...(a.compoundActions ?? [])])) {
        if (action.input === undefined) continue;
        const what =
          action.actionType === Act.ContinueAsNew
            ? `continue-as-new input of ${of}`
            : action.actionType === Act.CallSub || action.actionType === Act.CallSubWithRetry
              ? `input of sub-orchestration '${action.functionName}' from ${of}`
              : `input of activity '${action.functionName}' from ${of}`;
        this.payloads.check(what, serialize(deserializeInput(action.input)));
      }
      if (state.customStatus !== undefined) this.payloads.check(`custom status of ${of}`, serialize(state.customStatus));
      if (state.isDone) this.payloads.check(`output of ${of}`, serialize(state.output));
    } catch (err) {
      return ensureError(err).message;
    }
    return undefined;
  }

  /** Actions from earlier episodes must come back the same: otherwise the orchestrator is not deterministic. */
  private checkDeterminism(instance: OrchestrationInstance, actions: ActionShape[]): string | undefined {
    const log = actions.map(describeAction);
    for (let i = 0; i < Math.min(log.length, instance.actionLog.length); i++) {
      if (log[i] !== instance.actionLog[i]) {
        return `Non-deterministic orchestrator '${instance.name}': action #${i} was ${instance.actionLog[i]} on an earlier replay and is ${log[i]} now. Orchestrators must not read the clock, random numbers, environment or I/O directly.`;
      }
    }
    if (log.length < instance.actionLog.length) {
      return `Non-deterministic orchestrator '${instance.name}': an earlier replay scheduled ${instance.actionLog.length} actions, this one only ${log.length}.`;
    }
    instance.actionLog = log;
    return undefined;
  }

  private scheduleOpenTasks(instance: OrchestrationInstance, context: InvocationContext, now: Date): void {
    const executor = (context as unknown as { df: { taskOrchestratorExecutor: { openTasks: Record<string, OpenTask> } } }).df.taskOrchestratorExecutor;
    const generation = instance.generation;
    for (const task of Object.values(executor.openTasks)) {
      if (typeof task.id !== 'number' || instance.handled.has(task.id)) continue;
      const id = task.id;
      instance.handled.add(id);
      // Retry bookkeeping tasks are NoOpTasks, whose actionObj is the string 'noOp' rather than an action.
      const own = typeof task.actionObj === 'object' ? task.actionObj : undefined;
      const action = own ?? retryTarget(task);
      if (task.parent && !own && task.parent.isWaitingOnTimer) {
        // A retryable task failed: the extension waits on a timer before the next attempt.
        const retry = task.parent.retryOptions;
        const delay = Math.min(
          retry.firstRetryIntervalInMilliseconds * Math.pow(retry.backoffCoefficient || 1, task.parent.attemptNumber - 2),
          retry.maxRetryIntervalInMilliseconds || Infinity,
        );
        this.timer(instance, generation, id, new Date(now.getTime() + delay));
        continue;
      }
      if (!action) continue;
      switch (action.actionType) {
        case Act.CallActivity:
        case Act.CallActivityWithRetry:
          instance.history.push(event(Ev.TaskScheduled, id, now, { Name: action.functionName }));
          this.runActivity(instance, generation, id, action.functionName!, deserializeInput(action.input));
          break;
        case Act.CreateTimer:
          this.timer(instance, generation, id, new Date(action.fireAt!));
          break;
        case Act.CallSub:
        case Act.CallSubWithRetry: {
          const childId = action.instanceId || `${instance.instanceId}:${id}`;
          instance.history.push(event(Ev.SubCreated, id, now, { Name: action.functionName, InstanceId: childId }));
          if (!this.start(action.functionName!, childId, deserializeInput(action.input), { instanceId: instance.instanceId, taskId: id })) {
            this.deliver(
              instance,
              generation,
              event(Ev.SubFailed, -1, now, { TaskScheduledId: id, Reason: `An orchestration with instance ID '${childId}' is already running.`, Details: '' }),
            );
          }
          break;
        }
        default:
          break;
      }
    }
  }

  private timer(instance: OrchestrationInstance, generation: number, id: number, fireAt: Date): void {
    instance.history.push(event(Ev.TimerCreated, id, this.clock.now(), { FireAt: fireAt.toISOString() }));
    const cancel = this.clock.schedule(fireAt, () =>
      this.deliver(instance, generation, event(Ev.TimerFired, -1, this.clock.now(), { TimerId: id, FireAt: fireAt.toISOString() })),
    );
    instance.cancels.push(cancel);
  }

  private runActivity(instance: OrchestrationInstance, generation: number, taskId: number, name: string, input: unknown): void {
    const registration = this.registration(name, 'activityTrigger');
    instance.actions += 1;
    const executions = 1 + (this.hooks.duplicateActivity?.(name, input) ?? 0);
    const execute = async (): Promise<HistoryEvent> => {
      this.activityCalls.set(name, (this.activityCalls.get(name) ?? 0) + 1);
      try {
        const result = await registration.callback(structuredClone(input), this.context(registration, `${instance.instanceId}:${taskId}`));
        const serialized = serialize(result);
        this.payloads.check(`output of activity '${name}'`, serialized);
        return event(Ev.TaskCompleted, -1, this.clock.now(), { TaskScheduledId: taskId, Result: serialized });
      } catch (err) {
        const error = ensureError(err);
        this.hooks.log?.('warning', `activity '${name}' failed`, { instanceId: instance.instanceId, error: error.message });
        return event(Ev.TaskFailed, -1, this.clock.now(), {
          TaskScheduledId: taskId,
          Reason: error.message,
          Details: error.stack ?? '',
          FailureDetails: failureDetails(error),
        });
      }
    };
    const concurrentAfter = this.hooks.concurrentDuplicate?.(name, input);
    const run = async () => {
      await this.activitySlot();
      let outcome: HistoryEvent | undefined;
      if (concurrentAfter !== undefined) {
        // The original and its duplicate run at once; the first to finish is delivered, the other's result is dropped.
        let delivered = false;
        const deliverFirst = (e: HistoryEvent) => {
          if (delivered) return;
          delivered = true;
          this.deliver(instance, generation, e);
        };
        const duplicate = (async () => {
          for (let turn = 0; turn < concurrentAfter; turn++) await new Promise((resolve) => setImmediate(resolve));
          deliverFirst(await execute());
        })();
        deliverFirst(await execute());
        await duplicate;
        this.releaseActivitySlot();
        return;
      }
      for (let i = 0; i < executions; i++) outcome = await execute();
      this.releaseActivitySlot();
      this.deliver(instance, generation, outcome!);
    };
    void this.track(run());
  }

  /** Waits for one of the host's activity slots, as the extension queues activities beyond its limit. */
  private activitySlot(): Promise<void> {
    if (this.activitiesRunning < this.maxActivities) {
      this.activitiesRunning += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.activityQueue.push(resolve));
  }

  private releaseActivitySlot(): void {
    const next = this.activityQueue.shift();
    if (next) next();
    else this.activitiesRunning -= 1;
  }

  private restart(instance: OrchestrationInstance, input: unknown): void {
    instance.cancels.forEach((cancel) => cancel());
    const now = this.clock.now();
    Object.assign(instance, {
      input: deserializeInput(input),
      history: [],
      inbox: [event(Ev.ExecutionStarted, -1, now, { Name: instance.name, Input: serialize(deserializeInput(input)) })],
      handled: new Set(),
      actionLog: [],
      cancels: [],
      generation: instance.generation + 1,
      runtimeStatus: 'Running',
      actions: instance.actions + 1,
    });
  }

  private finish(instance: OrchestrationInstance, status: RuntimeStatus, output: unknown): void {
    instance.runtimeStatus = status;
    instance.output = output;
    instance.lastUpdatedTime = this.clock.now();
    instance.cancels.forEach((cancel) => cancel());
    instance.cancels = [];
    this.retain(instance);
    const parent = instance.parent && this.instances.get(instance.parent.instanceId);
    if (!parent || !instance.parent) return;
    const now = this.clock.now();
    const taskId = instance.parent.taskId;
    const why = `Sub-orchestration '${instance.instanceId}' ${status.toLowerCase()}: ${String(output)}`;
    const completion =
      status === 'Completed'
        ? event(Ev.SubCompleted, -1, now, { TaskScheduledId: taskId, Result: serialize(output) })
        : event(Ev.SubFailed, -1, now, {
            TaskScheduledId: taskId,
            Reason: why,
            Details: '',
            FailureDetails: { ErrorType: 'OrchestrationFailed', ErrorMessage: why, IsNonRetriable: false },
          });
    this.deliver(parent, parent.generation, completion);
  }

  /** Keeps the finished instance, and lets the oldest finished ones go beyond what `retainFinished` keeps. */
  private retain(instance: OrchestrationInstance): void {
    this.finished.push({ instanceId: instance.instanceId, generation: instance.generation });
    const histories = this.hooks.retainFinished?.histories ?? 1_000;
    const instances = this.hooks.retainFinished?.instances ?? 50_000;
    const stillFinished = (entry: { instanceId: string; generation: number }) => {
      const current = this.instances.get(entry.instanceId);
      return current && current.generation === entry.generation && current.runtimeStatus !== 'Running' && current.runtimeStatus !== 'Pending'
        ? current
        : undefined;
    };
    // The histories of all but the newest `histories` finished instances: status and output stay.
    while (this.finished.length - this.historiesDropped > histories) {
      const old = stillFinished(this.finished[this.historiesDropped++]!);
      if (old) {
        old.history = [];
        old.inbox = [];
        old.handled = new Set();
        old.actionLog = [];
      }
    }
    // Beyond `instances`, the oldest are purged.
    while (this.finished.length - this.finishedHead > instances) {
      const entry = this.finished[this.finishedHead++]!;
      if (stillFinished(entry)) this.instances.delete(entry.instanceId);
    }
    this.historiesDropped = Math.max(this.historiesDropped, this.finishedHead);
    if (this.finishedHead > 4_096 && this.finishedHead * 2 > this.finished.length) {
      this.finished.splice(0, this.finishedHead);
      this.historiesDropped -= this.finishedHead;
      this.finishedHead = 0;
    }
  }

  private context(registration: Registration, invocationId: string): InvocationContext {
    return createInvocationContext(
      registration,
      invocationId,
      (level, message, props) => this.hooks.log?.(level, message, props),
      this.hooks.durableClientData,
    );
  }

  private registration(name: string, triggerType: string): Registration {
    const registration = this.functions.get(name);
    if (!registration || triggerOf(registration).type !== triggerType) {
      throw new Error(`no ${triggerType} function named '${name}' is registered`);
    }
    return registration;
  }
}

/** durable-functions reports an orchestrator's exception inside its serialized state; keep just the error. */
function orchestratorError(err: unknown): string {
  const message = ensureError(err).message;
  const OUT_OF_PROC = '$OutOfProcData$:';
  const at = message.indexOf(OUT_OF_PROC);
  if (at < 0) return message;
  try {
    const state = JSON.parse(message.slice(at + OUT_OF_PROC.length)) as { error?: string };
    return state.error?.split(' \n ')[0] ?? message;
  } catch {
    return message;
  }
}

function event(type: number, id: number, at: Date, fields: Record<string, unknown> = {}): HistoryEvent {
  return { EventType: type, EventId: id, Timestamp: at.toISOString(), IsPlayed: false, ...fields };
}

function serialize(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Actions carry string inputs JSON-encoded (durable-functions' processInput); others as values. */
function deserializeInput(input: unknown): unknown {
  if (typeof input !== 'string') return input === undefined ? undefined : JSON.parse(JSON.stringify(input));
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function retryTarget(task: OpenTask): ActionShape | undefined {
  const inner = task.parent?.innerTask.actionObj;
  return typeof inner === 'object' ? inner : undefined;
}

function describeAction(action: ActionShape): string {
  const { actionType, functionName, input, instanceId, fireAt, compoundActions } = action;
  return JSON.stringify({ actionType, functionName, input, instanceId, fireAt, compound: compoundActions?.map(describeAction) });
}

/**
 * A failed activity as the extension reports it with the Durable Task Scheduler (and current Azure Storage
 * providers): structured failure details, which durable-functions 3.5 turns into a `TaskFailedError` whose
 * `failureDetails.errorType` is the activity error's name.
 */
function failureDetails(error: Error): Record<string, unknown> {
  return { ErrorType: error.name, ErrorMessage: error.message, StackTrace: error.stack, IsNonRetriable: false };
}
