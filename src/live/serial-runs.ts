/**
 * One run at a time, and calls coalesced: a call while a run waits to start joins that run, whose
 * start comes after the current one ends. So a caller is sure the run it gets back started after
 * its call (what happened before the call is seen), and a burst of calls costs one run.
 * A run must not reject: the next would never start.
 */
export class SerialRuns {
  #running: Promise<void> = Promise.resolve();
  #queued: Promise<void> | null = null;

  /** Whether a run waits for the current one to end: a call now joins it. */
  get waiting(): boolean {
    return this.#queued !== null;
  }

  /** `run` after the run going on (if any), or the run already waiting. */
  next(run: () => Promise<void>): Promise<void> {
    if (this.#queued) return this.#queued;
    const next = this.#running.then(() => {
      this.#queued = null;
      return run();
    });
    this.#queued = next;
    this.#running = next;
    return next;
  }
}
