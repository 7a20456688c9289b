/**
 * A circuit breaker per source: after `failureThreshold` consecutive availability failures the
 * source fails fast with SOURCE_UNAVAILABLE for `cooldownMs`; then one probe call is let through,
 * and its success closes the circuit again while its failure re-opens it. Answers of any kind
 * (even vendor errors) prove the vendor is reachable and count as successes.
 */
import { ChatgraphError, ERROR_CODES } from '../errors.js';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

export const DEFAULT_BREAKER: CircuitBreakerOptions = { failureThreshold: 5, cooldownMs: 10_000 };

type State = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  readonly #source: string;
  readonly #options: Required<CircuitBreakerOptions>;
  #state: State = 'closed';
  #failures = 0;
  #openedAt = 0;
  #probing = false;

  constructor(source: string, options: CircuitBreakerOptions = DEFAULT_BREAKER) {
    this.#source = source;
    this.#options = { now: Date.now, ...options };
  }

  get state(): State {
    return this.#state;
  }

  async run<T>(call: () => Promise<T>, isAvailabilityFailure: (error: unknown) => boolean): Promise<T> {
    this.admit();
    try {
      const result = await call();
      this.settle(false);
      return result;
    } catch (error) {
      this.settle(isAvailabilityFailure(error));
      throw error;
    }
  }

  /**
   * `run` in two steps, for a caller that awaits its call itself (no closure, no extra promise):
   * `admit()` before the call (throws SOURCE_UNAVAILABLE while the circuit rests), then exactly
   * one `settle(unavailable)` once the call is over.
   */
  admit(): void {
    if (this.#state === 'open') {
      if (this.#options.now() - this.#openedAt < this.#options.cooldownMs) throw this.#unavailable();
      this.#state = 'half-open';
    }
    if (this.#state === 'half-open') {
      if (this.#probing) throw this.#unavailable();
      this.#probing = true;
    }
  }

  settle(unavailable: boolean): void {
    if (unavailable) this.#failed();
    else this.#succeeded();
  }

  #succeeded(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#probing = false;
  }

  #failed(): void {
    this.#probing = false;
    this.#failures++;
    if (this.#state === 'half-open' || this.#failures >= this.#options.failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#options.now();
    }
  }

  #unavailable(): ChatgraphError {
    return new ChatgraphError(
      ERROR_CODES.SOURCE_UNAVAILABLE,
      `Source "${this.#source}" failed repeatedly and is resting; try again shortly.`,
      { source: this.#source },
    );
  }
}
