/**
 * The vendor calls one operation may make (`ServerPolicy.maxVendorCalls`). The static estimate
 * (`useQueryLimits`) cannot see how far a SCAN has to read; this is the backstop. Every vendor
 * call the operation asks for is spent here first, retries and shared calls included; its own
 * memo's hits are free.
 */
import { ChatgraphError, ERROR_CODES } from '../errors.js';

export class CallBudget {
  readonly limit: number;
  /** Calls spent so far. */
  #calls = 0;

  constructor(limit = Number.POSITIVE_INFINITY) {
    this.limit = limit;
  }

  get calls(): number {
    return this.#calls;
  }

  /** Spends one call; throws QUERY_TOO_COMPLEX once the operation would make more than `limit`. */
  spend(): void {
    if (++this.#calls > this.limit) {
      throw new ChatgraphError(
        ERROR_CODES.QUERY_TOO_COMPLEX,
        `The operation needed more than ${this.limit} vendor calls; ask for smaller pages or fewer conversations.`,
        { limit: this.limit, kind: 'vendorCalls' },
      );
    }
  }
}
