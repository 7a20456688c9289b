/**
 * A source's warnings about vendor data it does not recognise, each written once per interval.
 *
 * A vendor that sends an undocumented value sends it in every page (AIRUDDER's own sample has
 * `status: "send"` on a third of its messages): a line per message per read would drown the log
 * and cost a log write per message. So a warning is written the first time, and the same warning
 * again only after `intervalMs`, saying how many times it came in between.
 *
 * Two warnings are the same when their message and their details are, apart from the details that
 * name the record (keys ending in `Id`: `msgId`, `chatRecordId`, …): "unknown status `send`" on
 * two messages is one warning, "unknown status `sending`" another. The written line keeps every
 * detail of the occurrence it reports.
 */
export interface WarningLogger {
  warn(details: object, message: string): void;
}

/** How long a warning is not written again after it was (one minute). */
export const WARNING_INTERVAL_MS = 60_000;

/**
 * The most distinct warnings remembered: a vendor sending ever new values costs this much memory
 * at most; the least recently written are forgotten first (and written again when they recur).
 */
export const MAX_DISTINCT_WARNINGS = 256;

interface Seen {
  writtenAt: number;
  /** Occurrences not written since `writtenAt`. */
  repeated: number;
}

export class VendorWarnings {
  readonly #logger: WarningLogger;
  readonly #source: string;
  readonly #clock: () => number;
  readonly #intervalMs: number;
  readonly #seen = new Map<string, Seen>();

  constructor(
    logger: WarningLogger,
    source: string,
    options: { clock?: () => number; intervalMs?: number } = {},
  ) {
    this.#logger = logger;
    this.#source = source;
    this.#clock = options.clock ?? Date.now;
    this.#intervalMs = options.intervalMs ?? WARNING_INTERVAL_MS;
  }

  warn(message: string, details: Record<string, unknown>): void {
    const key = warningKey(message, details);
    const now = this.#clock();
    const seen = this.#seen.get(key);
    if (seen && now - seen.writtenAt < this.#intervalMs) {
      seen.repeated++;
      return;
    }
    const repeated = seen?.repeated ?? 0;
    // Re-inserted: the map's order is the order of writing, oldest first.
    this.#seen.delete(key);
    this.#seen.set(key, { writtenAt: now, repeated: 0 });
    if (this.#seen.size > MAX_DISTINCT_WARNINGS) {
      const oldest = this.#seen.keys().next().value as string;
      this.#seen.delete(oldest);
    }
    this.#logger.warn(
      repeated > 0 ? { source: this.#source, ...details, repeated } : { source: this.#source, ...details },
      message,
    );
  }
}

/** The message and the details that do not name the record, in a fixed order. */
function warningKey(message: string, details: Record<string, unknown>): string {
  const parts: unknown[] = [message];
  for (const name of Object.keys(details).sort()) {
    if (!name.endsWith('Id')) parts.push(name, details[name]);
  }
  try {
    return JSON.stringify(parts);
  } catch {
    // Details that do not stringify (a cycle, a BigInt) still make one warning per message.
    return JSON.stringify([message]);
  }
}
