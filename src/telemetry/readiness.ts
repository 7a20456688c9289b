/**
 * Readiness: every source answers a cheap probe (`Source.probe`). Checked at most once per
 * `cacheMs` whatever the polling rate (load balancers, several replicas' probes), and never twice
 * at once: vendor quotas are for users, not for health checks.
 */
import { isChatgraphError } from '../errors.js';
import type { AnySource } from '../sources/source.js';

export interface SourceReadiness {
  /** `unchecked`: the source has no probe, and does not hold readiness back. */
  status: 'ok' | 'failing' | 'unchecked';
  /** The error code of a failing probe. */
  code?: string;
}

export interface ReadinessReport {
  ready: boolean;
  sources: Record<string, SourceReadiness>;
}

export interface ReadinessOptions {
  /** How long a report is served again, ms. */
  cacheMs?: number;
  /** How long one probe may take, retries included, ms. */
  timeoutMs?: number;
  now?: () => number;
}

export const READINESS_CACHE_MS = 5_000;
export const READINESS_TIMEOUT_MS = 3_000;

export class ReadinessCheck {
  readonly #sources: () => AnySource[];
  readonly #cacheMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #last: { at: number; report: ReadinessReport } | null = null;
  #running: Promise<ReadinessReport> | null = null;

  constructor(sources: () => AnySource[], options: ReadinessOptions = {}) {
    this.#sources = sources;
    this.#cacheMs = options.cacheMs ?? READINESS_CACHE_MS;
    this.#timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
    this.#now = options.now ?? Date.now;
  }

  check(): Promise<ReadinessReport> {
    if (this.#last && this.#now() - this.#last.at < this.#cacheMs) return Promise.resolve(this.#last.report);
    this.#running ??= this.#probeAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #probeAll(): Promise<ReadinessReport> {
    const sources = this.#sources();
    // The probes' deadline is the wall clock's, as every vendor call's is.
    const deadline = Date.now() + this.#timeoutMs;
    const results = await Promise.all(
      sources.map(
        async (source): Promise<[string, SourceReadiness]> => [
          source.name,
          await this.#probe(source, deadline),
        ],
      ),
    );
    const report: ReadinessReport = {
      ready: results.every(([, result]) => result.status !== 'failing'),
      sources: Object.fromEntries(results),
    };
    this.#last = { at: this.#now(), report };
    return report;
  }

  async #probe(source: AnySource, deadline: number): Promise<SourceReadiness> {
    if (!source.probe) return { status: 'unchecked' };
    try {
      await source.probe?.({ deadline });
      return { status: 'ok' };
    } catch (error) {
      return { status: 'failing', code: isChatgraphError(error) ? error.code : 'UNEXPECTED' };
    }
  }
}
