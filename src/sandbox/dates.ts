/**
 * Where the sandbox's generated histories sit in time. Their content, ids and times of day are
 * fixed; given `now` (as `chatgraph serve` gives it), their dates move by whole days so each history
 * ends the day before `now`, and "the last week" of a conversation has messages on any day one tries
 * it. Without `now` (the tests) they keep the dates they were written with.
 */
export const DAY_MS = 86_400_000;

/**
 * `start` of a history written to end on `lastDay` (UTC), moved so that day is the day before
 * `now`'s; `start` itself when there is no `now`.
 */
export function sandboxStart(start: number, lastDay: number, now: number | undefined): number {
  if (now === undefined) return start;
  const days = Math.floor(now / DAY_MS) - 1 - Math.floor(lastDay / DAY_MS);
  return start + days * DAY_MS;
}
