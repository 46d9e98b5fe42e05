/** `GET /api/dashboard`: the status as one self-contained page. */
import type { HttpResponseInit } from '@azure/functions';
import { renderDashboard } from '../dashboard/renderDashboard';
import type { Services } from '../services';
import type { OrchestrationStarter } from '../workflows/starter';
import { dashboardView } from '../workflows/status/dashboardView';

/** The page has no script and loads nothing: the policy says so to the browser. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

export async function getDashboard(services: Services, starter: OrchestrationStarter): Promise<HttpResponseInit> {
  const html = renderDashboard(await dashboardView(services, starter));
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-store' },
    body: html,
  };
}
