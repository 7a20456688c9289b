/**
 * Fixed-rate load in an open model, for latency at a given rate. Requests are sent on a fixed
 * schedule whatever the server does, and each latency is measured from the request's *intended*
 * send time, so a stall shows up in every request it delays: coordinated omission is corrected by
 * construction, as wrk2 does.
 *
 * Why not autocannon's `overallRate`: autocannon 9 enforces a rate as a per-connection quota per
 * second (each connection sends back to back until its quota, then pauses until the next second),
 * so half of each second is a saturating burst; and its correction records with an expected
 * interval of `Math.ceil(1 / rate)` ms, i.e. 1 ms at any rate above 1/s. Its saturation runs
 * (closed model) are used for throughput, where coordinated omission does not apply.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface OpenLoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoadResult {
  rate: number;
  sent: number;
  ok: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How far behind schedule the generator itself fell at worst, ms (its own lateness is counted as latency). */
  maxLag: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export async function openLoad(options: {
  origin: string;
  requests: OpenLoadRequest[];
  rate: number;
  durationMs: number;
  connections?: number;
}): Promise<OpenLoadResult> {
  const pool = new Pool(options.origin, { connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  const interval = 1000 / options.rate;
  const total = Math.max(1, Math.floor((options.durationMs / 1000) * options.rate));
  const latencies = new Float64Array(total);
  let sent = 0;
  let ok = 0;
  let errors = 0;
  let done = 0;
  let maxLag = 0;
  const start = performance.now() + 5;

  await new Promise<void>((resolve) => {
    const fire = (intended: number) => {
      const request = options.requests[sent % options.requests.length] as OpenLoadRequest;
      const index = sent++;
      pool
        .request(request)
        .then(async ({ statusCode, body }) => {
          await body.dump();
          if (statusCode >= 200 && statusCode < 300) ok++;
          else errors++;
        })
        .catch(() => {
          errors++;
        })
        .finally(() => {
          latencies[index] = performance.now() - intended;
          if (++done === total) resolve();
        });
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const intended = start + sent * interval;
        if (intended > now) break;
        maxLag = Math.max(maxLag, now - intended);
        fire(intended);
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
  await pool.close();
  const sorted = latencies.slice(0, total).sort();
  return {
    rate: options.rate,
    sent,
    ok,
    errors,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    maxLag,
  };
}
