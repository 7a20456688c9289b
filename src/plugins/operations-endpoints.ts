/**
 * The operators' endpoints, `GET /readiness` and `GET /metrics`, and who may read them. With an
 * operations key configured, a caller presenting it (`Authorization: Bearer <key>` or
 * `X-API-Key`) reads everything; anyone else gets what `anonymousOperations` says: everything
 * (`full`, the default without a key), the same without source names (`redacted`: readiness as a
 * bare `{ ready }`, metrics without the series labelled by source), or 401 (`refused`). They
 * answer on the API's port, or only on their own (`operationsPort`, see `listenOperations`).
 */
import { timingSafeEqual } from 'node:crypto';
import type { App } from '../app.js';
import { hashApiKey, presentedKey } from '../auth/api-keys.js';
import { ReadinessCheck, type ReadinessOptions } from '../telemetry/readiness.js';

export const READINESS_PATH = '/readiness';
export const METRICS_PATH = '/metrics';

export type OperationsAccess = 'full' | 'redacted' | 'refused';

export function operationsAccess(app: App, headers: Headers): OperationsAccess {
  const { operationsKeyHash, anonymousOperations } = app.policy;
  if (operationsKeyHash) {
    const key = presentedKey(headers);
    if (key && timingSafeEqual(hashApiKey(key), operationsKeyHash)) return 'full';
  }
  return anonymousOperations;
}

/** Answers an operators' endpoint; null for any other request. `pathname`: the request URL's, when known. */
export type OperationsHandler = (request: Request, pathname?: string) => Promise<Response | null>;

export function isOperationsPath(pathname: string): boolean {
  return pathname === READINESS_PATH || pathname === METRICS_PATH;
}

export function operationsHandler(app: App, options: ReadinessOptions = {}): OperationsHandler {
  const readiness = new ReadinessCheck(() => app.sources.list(), options);
  const { metrics } = app.telemetry;
  return async (request, pathname = new URL(request.url).pathname) => {
    if (request.method !== 'GET' || !isOperationsPath(pathname)) return null;
    const access = operationsAccess(app, request.headers);
    if (access === 'refused') {
      return Response.json(
        { error: { code: 'UNAUTHENTICATED', message: 'The operations key is required.' } },
        { status: 401, headers: { 'www-authenticate': 'Bearer' } },
      );
    }
    if (pathname === READINESS_PATH) {
      const report = await readiness.check();
      const status = report.ready ? 200 : 503;
      return Response.json(access === 'full' ? report : { ready: report.ready }, { status });
    }
    const text = await metrics.text();
    return new Response(access === 'full' ? text : withoutSourceSeries(text), {
      status: 200,
      headers: { 'content-type': metrics.registry.contentType },
    });
  };
}

/** Prometheus text without the samples labelled by source (their names are configuration). */
function withoutSourceSeries(text: string): string {
  return text
    .split('\n')
    .filter((line) => line.startsWith('#') || !/[{,]source="/.test(line))
    .join('\n');
}
