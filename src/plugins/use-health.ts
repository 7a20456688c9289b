/**
 * `GET /readiness`: 200 when every source answers its probe, 503 otherwise, with each source's
 * status (and a failing one's error code) as JSON; cached a few seconds (see `ReadinessCheck`).
 * Liveness is Yoga's own `GET /health` (200 while the process serves), which answers before any
 * plugin runs.
 */
import type { App } from '../app.js';
import { ReadinessCheck, type ReadinessOptions } from '../telemetry/readiness.js';
import type { ChatgraphPlugin } from './index.js';

export const READINESS_PATH = '/readiness';

export function useHealth(app: App, options: ReadinessOptions = {}): ChatgraphPlugin {
  const readiness = new ReadinessCheck(() => app.sources.list(), options);
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== READINESS_PATH || request.method !== 'GET') return;
      const report = await readiness.check();
      endResponse(fetchAPI.Response.json(report, { status: report.ready ? 200 : 503 }));
    },
  };
}
