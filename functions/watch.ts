/** The watch: the sub-orchestration that follows a backup, restore or migration until ARM says how it ended. */
import * as df from 'durable-functions';
import { Orchestrations } from '../src/workflows/names';
import { watchOrchestrator } from '../src/workflows/watch';

df.app.orchestration(Orchestrations.watch, watchOrchestrator);
