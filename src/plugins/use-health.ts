/**
 * The operators' endpoints on the API's port (unless they have their own, `operationsPort`):
 * `GET /readiness`, 200 when every source answers its probe, 503 otherwise, with each source's
 * status (and a failing one's error code) as JSON, cached a few seconds (see `ReadinessCheck`);
 * and `GET /metrics` (see `useMetrics`). Who reads what: `operationsHandler`. Liveness is Yoga's
 * own `GET /health` (200 while the process serves), which answers before any plugin runs.
 */
import type { App } from '../app.js';
import type { ReadinessOptions } from '../telemetry/readiness.js';
import type { ChatgraphPlugin } from './index.js';
import { isOperationsPath, operationsHandler } from './operations-endpoints.js';

export function useHealth(app: App, options: ReadinessOptions = {}): ChatgraphPlugin {
  if (app.policy.operationsPort !== null) return {};
  const handle = operationsHandler(app, options);
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' || !isOperationsPath(url.pathname)) return;
      return handle(request, url.pathname).then((response) => {
        if (response) endResponse(response);
      });
    },
  };
}
