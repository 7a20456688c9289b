/**
 * WeChat Shop's `get_sync_msg` as the source's change feed (`Source.feed`): one call tells which
 * rooms of the whole shop have new rows since a sync id, so the live hub reads the feed once per
 * interval instead of polling every watched room. The rows are hints: a room they name is read
 * through `get_room_msg` as always, and a row that cannot be read wakes nothing and is counted.
 * Sync ids are 64-bit: compared as `bigint`, kept as decimal strings.
 */
import { vendorBadResponse } from '../../errors.js';
import type { RequestScope } from '../request-scope.js';
import type { ChangeFeed, FeedRead } from '../source.js';
import type { WechatStoreClient, WechatStoreSyncEntry } from './client.js';

/** Rows asked for per call. The vendor's cap is not documented; fewer is a shorter page, not an end. */
export const SYNC_PAGE = 50;

/**
 * Calls `end` may make. The document offers no "newest" position, so `end` searches for it: a
 * doubling walk then a bisection over 64-bit ids takes at most about 130 calls (a shop with ids
 * counted from 1 takes a few dozen), once, when the first room is watched.
 */
export const MAX_END_CALLS = 160;

const MAX_SYNC_ID = 2n ** 64n - 1n;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The largest readable id in `rows` after `from` (an inclusive vendor repeats `from` itself). */
function topAfter(rows: readonly WechatStoreSyncEntry[], from: bigint): bigint | null {
  let top: bigint | null = null;
  for (const row of rows) {
    if (row.id === null) continue;
    const id = BigInt(row.id);
    if (id > from && (top === null || id > top)) top = id;
  }
  return top;
}

export function wechatStoreFeed(
  source: string,
  client: WechatStoreClient,
  roomId: (externalId: string) => string,
): ChangeFeed {
  const rowsAfter = (from: bigint, scope: RequestScope | undefined) =>
    client.getSyncMsg({ start_sync_id: from.toString(), num: SYNC_PAGE, include_sys_msg: true }, scope);
  /** The room a row names, in canonical form; null when there is none (or not a valid room id). */
  const roomOf = (row: WechatStoreSyncEntry): string | null => {
    if (row.roomId === null) return null;
    try {
      return roomId(row.roomId);
    } catch {
      return null;
    }
  };

  return {
    /**
     * The largest sync id there is now (or one below it: a position before the end only repeats
     * a few old rows as wake-ups, while one past it would skip the next rows for good). `low` is
     * an id known to exist (0 before any), `high` a position with nothing after it.
     */
    async end(scope) {
      let low = 0n;
      let high: bigint | null = null;
      let step = BigInt(SYNC_PAGE);
      for (let calls = 0; calls < MAX_END_CALLS; calls++) {
        if (high !== null && high - low <= 1n) return low.toString();
        const at: bigint =
          calls === 0 ? 0n : high === null ? min(low + step, MAX_SYNC_ID) : low + (high - low) / 2n;
        const rows = await rowsAfter(at, scope);
        const top = topAfter(rows, at);
        if (top === null) {
          if (calls === 0) return '0';
          high = at;
        } else if (rows.length < SYNC_PAGE) {
          return top.toString();
        } else {
          low = top;
          step *= 2n;
        }
      }
      throw vendorBadResponse(
        source,
        'id',
        `Source "${source}": the end of get_sync_msg was not found in ${MAX_END_CALLS} calls.`,
      );
    },

    async read(position, scope): Promise<FeedRead> {
      const from = BigInt(position);
      const rows = await rowsAfter(from, scope);
      let top = from;
      let unattributed = 0;
      const rooms = new Set<string>();
      for (const row of rows) {
        const id = row.id === null ? null : BigInt(row.id);
        if (id !== null && id <= from) continue;
        if (id !== null && id > top) top = id;
        const room = roomOf(row);
        if (room === null) unattributed++;
        else rooms.add(room);
      }
      const more = rows.length >= SYNC_PAGE;
      if (more && top === from) {
        throw vendorBadResponse(
          source,
          'id',
          `Source "${source}" answered get_sync_msg with a full page that does not move past ${position}.`,
        );
      }
      return { conversations: [...rooms], position: top.toString(), more, unattributed };
    },
  };
}
