/** The problems a config is refused with (path and message each); fails the test when it is accepted. */
import { parseConfig } from '../../src/config/loadConfig';
import { ValidationError } from '../../src/errors';

export function configProblems(raw: unknown) {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be refused');
}
