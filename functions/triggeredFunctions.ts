/** Every HTTP route, timer and Event Grid function, as definitions (the workflows come from the registry). */
import { changeEvents } from './events';
import type { FunctionDefinition } from './functionDefinition';
import { httpFunctions } from './http';
import { scheduleTick } from './schedule';
import { expirySweep } from './sweep';

export const triggeredFunctions: readonly FunctionDefinition[] = [scheduleTick, expirySweep, changeEvents, ...httpFunctions];
