/** The progress line `chatgraph export` redraws on a terminal. */
import type { ExportProgress } from './export.js';

const count = new Intl.NumberFormat('en-US');

/** e.g. `exporting: 1,200 messages · 12 pages · 850 msg/s · 1 retry`. */
export function progressLine(progress: ExportProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((progress.messages * 1000) / elapsedMs) : 0;
  const retries =
    progress.retries === 1 ? ' · 1 retry' : progress.retries > 1 ? ` · ${progress.retries} retries` : '';
  return `exporting: ${count.format(progress.messages)} messages · ${count.format(progress.pages)} pages · ${count.format(rate)} msg/s${retries}`;
}

/** Redraws one line in place (carriage return, clear to end of line), at most every `everyMs`. */
export function terminalProgress(write: (text: string) => void, now: () => number, everyMs = 100) {
  const started = now();
  let last = -Infinity;
  return {
    update(progress: ExportProgress): void {
      const at = now();
      if (at - last < everyMs) return;
      last = at;
      write(`\r${progressLine(progress, at - started)}\x1b[K`);
    },
    done(progress: ExportProgress): void {
      write(`\r${progressLine(progress, now() - started)}\x1b[K\n`);
    },
  };
}
