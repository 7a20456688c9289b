/**
 * Fault injection for the sandbox emulators, so that users can try their frontends against a
 * misbehaving vendor and the tests can prove chatgraph copes. Every emulator gets the same faults
 * because they all run on `startEmulator`. Deterministic for a given seed.
 *
 * As an environment variable (`CHATGRAPH_SANDBOX_FAULTS`) or `--faults`:
 *   latency=20,jitter=10,error=0.05,429=0.05,retryAfter=1,hang=0.01,malformed=0.02,truncated=0.02,wrongType=0.02,seed=7
 */
import { Random } from './random.js';

export interface Faults {
  /** Added to every answer, ms. */
  latencyMs?: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs]. */
  latencyJitterMs?: number;
  /** Share of calls answered HTTP 500, 502 or 503. */
  errorRate?: number;
  /** Share of calls answered HTTP 429 with `Retry-After`. */
  rateLimitRate?: number;
  /** `Retry-After` of those answers, seconds (fractions are a sandbox convenience). */
  retryAfterSeconds?: number;
  /** Share of calls never answered. */
  hangRate?: number;
  /** Share of calls answered 200 with a body that is not JSON. */
  malformedRate?: number;
  /** Share of calls whose body stops half-way and whose connection is then closed. */
  truncatedRate?: number;
  /** Share of calls answered with one field of the vendor payload changed to another type. */
  wrongTypeRate?: number;
  seed?: number;
}

export type FaultKind = 'none' | 'error' | 'rate-limit' | 'hang' | 'malformed' | 'truncated' | 'wrong-type';

export interface Fault {
  kind: FaultKind;
  latencyMs: number;
  /** HTTP status of an `error` fault. */
  status: number;
  retryAfterSeconds: number;
}

const KEYS: Record<string, keyof Faults> = {
  latency: 'latencyMs',
  jitter: 'latencyJitterMs',
  error: 'errorRate',
  '429': 'rateLimitRate',
  retryAfter: 'retryAfterSeconds',
  hang: 'hangRate',
  malformed: 'malformedRate',
  truncated: 'truncatedRate',
  wrongType: 'wrongTypeRate',
  seed: 'seed',
};

/** Reads `key=value,…`; throws on an unknown key or a value that is not a number. */
export function parseFaults(spec: string): Faults {
  const faults: Faults = {};
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [key = '', value = ''] = part.split('=');
    const field = KEYS[key.trim()];
    const number = Number(value);
    if (!field || value.trim() === '' || !Number.isFinite(number) || number < 0) {
      throw new Error(`Bad fault "${part}": use ${Object.keys(KEYS).join(', ')} with a number.`);
    }
    faults[field] = number;
  }
  return faults;
}

export class FaultPlan {
  readonly #faults: Faults;
  readonly #random: Random;

  constructor(faults: Faults) {
    this.#faults = faults;
    this.#random = new Random(faults.seed ?? 1);
  }

  /** The fault for the next call. */
  next(): Fault {
    const f = this.#faults;
    const latencyMs = (f.latencyMs ?? 0) + (f.latencyJitterMs ? this.#random.next() * f.latencyJitterMs : 0);
    const fault: Fault = {
      kind: 'none',
      latencyMs,
      status: 500,
      retryAfterSeconds: f.retryAfterSeconds ?? 1,
    };
    let roll = this.#random.next();
    const kinds: Array<[FaultKind, number | undefined]> = [
      ['error', f.errorRate],
      ['rate-limit', f.rateLimitRate],
      ['hang', f.hangRate],
      ['malformed', f.malformedRate],
      ['truncated', f.truncatedRate],
      ['wrong-type', f.wrongTypeRate],
    ];
    for (const [kind, rate] of kinds) {
      if (rate && roll < rate) {
        fault.kind = kind;
        fault.status = this.#random.pick([500, 502, 503]);
        return fault;
      }
      roll -= rate ?? 0;
    }
    return fault;
  }

  /** A copy of `body` with one value, anywhere in it, replaced by a value of another type. */
  mistype(body: unknown): unknown {
    const paths: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      if (path.length > 0) paths.push(path);
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) walk(item, [...path, index]);
      } else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      }
    };
    walk(body, []);
    if (paths.length === 0) return 'not the expected document';
    const target = this.#random.pick(paths);
    const copy = structuredClone(body) as Record<string | number, unknown>;
    let parent = copy;
    for (const key of target.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = target.at(-1) as string | number;
    parent[last] = otherType(parent[last]);
    return copy;
  }
}

/** A value of a different JSON type that no lenient reader would take for the original. */
function otherType(value: unknown): unknown {
  if (typeof value === 'string') return true;
  if (typeof value === 'number') return 'not a number';
  if (typeof value === 'boolean') return 'not a boolean';
  if (value === null) return { unexpected: true };
  if (Array.isArray(value)) return { unexpected: 'array expected' };
  return 'object expected';
}
