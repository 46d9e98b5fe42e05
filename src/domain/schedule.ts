/** NCRONTAB schedules (6 fields, with seconds, always UTC), as Azure Functions timer triggers use them. */
import { CronExpressionParser } from 'cron-parser';

export function validateSchedule(expression: string): string | undefined {
  try {
    CronExpressionParser.parse(expression, { strict: true, tz: 'UTC' });
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `'${expression}' is not a 6-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}), e.g. '0 0 2 * * *' for 02:00 UTC daily: ${reason}`;
  }
}

/** The most recent occurrence at or before `now`, or undefined if none within a year. */
export function previousOccurrence(expression: string, now: Date): Date | undefined {
  // cron-parser's prev() is strictly before currentDate; step 1 ms past now so an occurrence exactly at now counts.
  const cron = CronExpressionParser.parse(expression, { currentDate: new Date(now.getTime() + 1), tz: 'UTC', strict: true });
  try {
    const prev = cron.prev().toDate();
    return now.getTime() - prev.getTime() <= 366 * 86_400_000 ? prev : undefined;
  } catch {
    return undefined;
  }
}

export function nextOccurrence(expression: string, after: Date): Date {
  const cron = CronExpressionParser.parse(expression, { currentDate: after, tz: 'UTC', strict: true });
  return cron.next().toDate();
}
