/**
 * A function other than an orchestration or activity (HTTP route, timer, Event Grid), as data: its name and the
 * options `app.generic` registers. functions/index.ts registers each with the worker; the local host (dev/) serves
 * the same definitions, so neither needs the other's way of loading them.
 */
import { trigger, type GenericFunctionOptions, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { durableStarter, type OrchestrationStarter } from '../src/workflows/starter';

export interface FunctionDefinition {
  name: string;
  options: GenericFunctionOptions;
}

/** A timer on the NCRONTAB schedule an app setting holds (`%SETTING%`), with a durable client to start orchestrations. */
export function timerFunction(
  name: string,
  scheduleSetting: string,
  run: (starter: OrchestrationStarter, context: InvocationContext) => Promise<void>,
): FunctionDefinition {
  return {
    name,
    options: {
      trigger: trigger.timer({ schedule: `%${scheduleSetting}%` }),
      extraInputs: [df.input.durableClient()],
      handler: (_timer: Timer, context: InvocationContext) => run(durableStarter(df.getClient(context)), context),
    },
  };
}
