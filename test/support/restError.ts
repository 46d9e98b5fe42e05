/** An ARM error as the SDK throws it: a RestError with the status, and ARM's `{error: {code, message}}` as its details. */
import { RestError } from '@azure/core-rest-pipeline';

export const armError = (statusCode: number | undefined, code: string, message = `${code} message`) =>
  Object.assign(new RestError('raw', { statusCode, code }), { details: { error: { code, message } } });
