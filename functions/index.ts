/** Entry point for the Functions host (package.json `main`): registers every function. */
import { app } from '@azure/functions';
import './workflows';
import { triggeredFunctions } from './triggeredFunctions';
import './discovery';

for (const definition of triggeredFunctions) app.generic(definition.name, definition.options);
