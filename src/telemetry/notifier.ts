/**
 * Webhook notifications (Teams and Slack both accept `{"text": …}`): one message when an incident opens and
 * one when it resolves. Never fails the workflow that observed it; a webhook URL carries a secret and is never logged.
 */
import { ensureError } from '../errors';
import type { IncidentStore } from '../azure/incidentStore';
import type { Config } from '../config/schema';
import { readSetting } from '../config/loadConfig';
import { noticeText, type Closure, type Notice, type Observation } from '../domain/incidents';
import type { Logger } from './logger';

export interface Notifier {
  /** Observations of named subjects, and closures of every open incident that matches. */
  observe(observations: readonly (Observation | Closure)[]): Promise<void>;
}

export type WebhookConfig = Config['notifications']['webhooks'][number];

const TIMEOUT_MS = 10_000;

export function createNotifier(
  webhooks: readonly WebhookConfig[],
  settings: NodeJS.ProcessEnv,
  store: IncidentStore,
  logger: Logger,
  send: typeof fetch = fetch,
): Notifier {
  if (webhooks.length === 0) return { observe: () => Promise.resolve() };
  const deliver = async (webhook: WebhookConfig, notice: Notice) => {
    const properties = { kind: notice.kind, subject: notice.subject, status: notice.status, webhook: webhook.urlSetting };
    try {
      const body = webhook.format === 'json' ? { text: noticeText(notice), notice } : { text: noticeText(notice) };
      const response = await send(readSetting(webhook.urlSetting, settings), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
      logger.event('apim-dr.notification.sent', properties);
    } catch (err) {
      logger.event('apim-dr.notification.failed', { ...properties, error: ensureError(err).message }, 'warn');
    }
  };
  return {
    async observe(observations) {
      let notices: Notice[];
      try {
        notices = await store.apply(observations);
      } catch (err) {
        logger.event('apim-dr.notification.failed', { error: ensureError(err).message }, 'warn');
        return;
      }
      await Promise.all(notices.flatMap((notice) => webhooks.map((webhook) => deliver(webhook, notice))));
    },
  };
}
