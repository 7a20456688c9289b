/**
 * The compiled-document cache of `useCompiledExecution`: least recently used first out, bounded in
 * entries and in estimated bytes. graphql-jit's generated code is not measurable from JavaScript,
 * so an entry's size is estimated as its document's length plus 512 bytes per selection it
 * generates code for (`OperationCost.compileCost`), a deliberate over-estimate: the generated code
 * of one field selection is a few hundred bytes. Counters say what happened, for tests and metrics.
 */
import type { CompiledQuery } from 'graphql-jit';

export const BYTES_PER_COMPILED_SELECTION = 512;

export interface CompiledDocumentsLimits {
  maxEntries: number;
  maxBytes: number;
  /**
   * Compile cost (`OperationCost.compileCost`) the process may spend per minute, all documents
   * together: a stream of distinct documents, each within the per-document budget, cannot keep
   * the event loop compiling. Over it, operations run uncompiled until it refills.
   */
  compileCostPerMinute: number;
  /**
   * Executions of a document before it is compiled (1: at once). A client sending ever new
   * documents (an alias changed each time) then causes no compilation at all, while the documents
   * an application sends again and again are compiled on their second run.
   */
  compileAfter: number;
  now?: () => number;
}

interface Entry {
  compiled: CompiledQuery;
  bytes: number;
}

export class CompiledDocuments {
  readonly #entries = new Map<string, Entry>();
  readonly #limits: CompiledDocumentsLimits;
  #bytes = 0;
  /** Documents compiled since start (each compilation is work a client caused). */
  compilations = 0;
  /** Operations run by graphql-js: compiling their document was over a budget (its own or the minute's). */
  uncompiled = 0;

  #budget: number;
  #budgetAt: number;
  /** Runs of documents not compiled yet, most recent last; as many keys as the cache holds, x4. */
  readonly #runs = new Map<string, number>();

  constructor(limits: CompiledDocumentsLimits) {
    this.#limits = limits;
    this.#budget = limits.compileCostPerMinute;
    this.#budgetAt = (limits.now ?? Date.now)();
  }

  /** Counts a run of a document not compiled yet: true once it has run `compileAfter` times. */
  hot(key: string): boolean {
    const runs = (this.#runs.get(key) ?? 0) + 1;
    this.#runs.delete(key);
    if (runs >= this.#limits.compileAfter) return true;
    this.#runs.set(key, runs);
    if (this.#runs.size > Math.max(64, this.#limits.maxEntries * 4)) {
      this.#runs.delete(this.#runs.keys().next().value as string);
    }
    return false;
  }

  /**
   * Takes `cost` from the per-minute compile budget (refilled continuously) if it is there;
   * false: do not compile now.
   */
  takeBudget(cost: number): boolean {
    const now = (this.#limits.now ?? Date.now)();
    const perMinute = this.#limits.compileCostPerMinute;
    this.#budget = Math.min(perMinute, this.#budget + ((now - this.#budgetAt) / 60_000) * perMinute);
    this.#budgetAt = now;
    if (cost > this.#budget) return false;
    this.#budget -= cost;
    return true;
  }

  get size(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): CompiledQuery | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.compiled;
  }

  set(key: string, compiled: CompiledQuery, bytes: number): void {
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= previous.bytes;
      this.#entries.delete(key);
    }
    // An entry bigger than the whole cache is used once and not kept.
    if (bytes > this.#limits.maxBytes || this.#limits.maxEntries === 0) return;
    this.#entries.set(key, { compiled, bytes });
    this.#bytes += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxEntries && this.#bytes <= this.#limits.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.bytes;
    }
  }
}
