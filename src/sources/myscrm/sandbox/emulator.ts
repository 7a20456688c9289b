/**
 * An emulator of myscrm's `GET /bff-nbd-qw-openapi/v1/chat-record/pull`, as the vendor documents
 * it, with the parts the documentation leaves open decided here (and only here):
 * - auth: the configured header must carry the configured value, else `errcode` 40001;
 * - `app_id` must be the configured one (40013); bad parameters are 40058, a bad cursor 40059;
 * - `start_time` / `end_time` are both inclusive (ms); `page_size` 1..100 (default 10);
 * - `asc=true` lists oldest first, exactly the reverse of the default order, ties included;
 * - `sender_type` 1 is every sender the vendor knows as an employee, 2 every external contact
 *   (`senderType`, the vendor's own records; ids alone do not say);
 * - `keyword` is searched as `quirks.keywordIn` / `keywordCase` say: by default a case-insensitive
 *   substring of text messages' content; `words` adds file names, link and location titles and
 *   descriptions, mini program name, title and description, red-packet wish, contact card's
 *   company and shared document title (`myscrmSearchText`);
 * - `page_size` records per page, fewer under `quirks.pageCap`; with `quirks.repeat` every Nth
 *   page after a query's first ends with a record of the page before it again;
 * - `next_cursor` is opaque and tamper-evident: an offset signed together with every parameter
 *   that shapes the list (not `page_size`), so it only continues the query it came from; "" at the
 *   end of the list;
 * - `thumb_option` is applied to image thumbnails as an OSS `x-oss-process` parameter.
 *
 * And `GET /bff-nbd-qw-openapi/v1/group-chat/list-by-member` (public material in the vendor
 * document): `app_id`, `member_id` and `member_type` (1 employee, 2 external contact) are required
 * (40013 / 40058); a member is in a chat when `groupChats` names it or it sent or received one of
 * the chat's records, and is listed only under its own type (`senderType`); `name` keeps chats
 * whose name contains it; most recent `last_chat_at` first (ties by `chat_id`), `listPageSize` a
 * page, `next_cursor` signed like the pull's. A chat without records shows its `created_at` as
 * `last_chat_at`; the live chat moves up as records arrive, so a walk across that may see it twice.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LiveFeed } from '../../../sandbox/live.js';
import type { EmulatorHandler, EmulatorResponse } from '../../../sandbox/server.js';
import {
  ERRCODE_INVALID_APP_ID,
  ERRCODE_INVALID_CREDENTIAL,
  ERRCODE_INVALID_CURSOR,
  ERRCODE_INVALID_PARAMETER,
} from '../wire.js';
import { type MyscrmWireRecord, myscrmSenderType } from './data.js';
import { MYSCRM_DEFAULT_QUIRKS, MYSCRM_EMULATOR_MAX_PAGE, type MyscrmQuirks } from './quirks.js';

export { MYSCRM_EMULATOR_MAX_PAGE };
export const MYSCRM_PULL_PATH = '/bff-nbd-qw-openapi/v1/chat-record/pull';
export const MYSCRM_LIST_PATH = '/bff-nbd-qw-openapi/v1/group-chat/list-by-member';
const DEFAULT_PAGE_SIZE = 10;
const DEFAULT_LIST_PAGE_SIZE = 20;

/** What the listing shows of a chat besides its records. */
export interface MyscrmGroupChat {
  name: string;
  /** Epoch ms, shown in seconds. */
  createdAt: number;
  avatarUrl: string | null;
  /** Members beyond the chat's senders and receivers. */
  members: readonly string[];
}
const SIGNATURE_BYTES = 12;
/** Filtered lists kept between calls, since a walk asks the same query page after page. */
const KEPT_LISTS = 32;

export interface MyscrmEmulatorOptions {
  /** Records of each chat, oldest first, ties in the vendor's order. */
  chats: Map<string, MyscrmWireRecord[]>;
  appId: string;
  /** The header (lower case) and the exact value it must carry. */
  auth: { header: string; value: string };
  /** Signs cursors; any string. */
  cursorSecret?: string;
  /** Who each sender is to the vendor: 1 employee, 2 external contact, 0 neither; the sandbox's by default. */
  senderType?: (senderId: string) => 0 | 1 | 2;
  /** Records whose times the vendor shows in seconds (`withTimeQuirks`). */
  inSeconds?: ReadonlySet<string>;
  quirks?: MyscrmQuirks;
  /** A chat that keeps receiving records (`src/sandbox/live.ts`); its lists are never kept. */
  live?: LiveFeed<MyscrmWireRecord>;
  /** The chats `group-chat/list-by-member` lists; none by default. */
  groupChats?: Map<string, MyscrmGroupChat>;
  /** Chats a listing page carries; 20 by default. */
  listPageSize?: number;
}

const fail = (errcode: number, errmsg: string): EmulatorResponse => ({
  status: 200,
  body: { errcode, errmsg, list: [], next_cursor: '' },
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const words = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

const joined = (...parts: unknown[]): string | null => {
  const kept = parts.map(words).filter((part): part is string => part !== null);
  return kept.length > 0 ? kept.join('\n') : null;
};

/** The words `keyword` is searched in, from the block named by the record's `type`. */
export function myscrmSearchText(
  record: Record<string, unknown>,
  scope: MyscrmQuirks['keywordIn'] = 'words',
): string | null {
  const type = typeof record.type === 'string' ? record.type : '';
  const block = record[type];
  if (!isRecord(block)) return null;
  if (scope === 'text' && type !== 'text') return null;
  switch (type) {
    case 'text':
      return typeof block.content === 'string' ? block.content : null;
    case 'file':
      return words(block.filename);
    case 'link':
      return joined(block.title, block.description);
    case 'location':
      return joined(block.title, block.address);
    case 'miniprogram':
      return joined(block.miniprogram_name, block.title, block.description);
    case 'redpacket':
      return words(block.wish);
    case 'card':
      return words(block.corp_name);
    case 'docmsg':
      return words(block.title);
    default:
      return null;
  }
}

interface Query {
  chatId: string;
  startTime: number | null;
  endTime: number | null;
  type: string | null;
  senderType: 0 | 1 | 2;
  keyword: string | null;
  asc: boolean;
}

function parseQuery(params: URLSearchParams): Query | string {
  const chatId = params.get('chat_id');
  if (!chatId) return 'chat_id is required';
  const time = (name: string): number | null | undefined => {
    const value = params.get(name);
    if (value === null || value === '') return null;
    return /^\d{1,16}$/.test(value) ? Number(value) : undefined;
  };
  const startTime = time('start_time');
  const endTime = time('end_time');
  if (startTime === undefined || endTime === undefined) return 'start_time / end_time must be ms timestamps';
  const asc = params.get('asc') ?? 'false';
  if (asc !== 'true' && asc !== 'false') return 'asc must be true or false';
  const senderType = params.get('sender_type') ?? '0';
  if (senderType !== '0' && senderType !== '1' && senderType !== '2') return 'sender_type must be 0, 1 or 2';
  return {
    chatId,
    startTime,
    endTime,
    type: params.get('type') || null,
    senderType: Number(senderType) as 0 | 1 | 2,
    keyword: params.get('keyword') || null,
    asc: asc === 'true',
  };
}

export function myscrmEmulator(options: MyscrmEmulatorOptions): EmulatorHandler {
  const secret = options.cursorSecret ?? 'myscrm-sandbox-cursor-secret';
  const quirks = options.quirks ?? MYSCRM_DEFAULT_QUIRKS;
  const senderType = options.senderType ?? myscrmSenderType;
  const inSeconds = options.inSeconds ?? new Set<string>();
  const fold = (text: string) => (quirks.keywordCase === 'insensitive' ? text.toLowerCase() : text);
  const lists = new Map<string, MyscrmWireRecord[]>();
  const searchText = new Map<MyscrmWireRecord, string | null>();
  const textOf = (record: MyscrmWireRecord): string | null => {
    const text = myscrmSearchText(record, quirks.keywordIn);
    return text === null ? null : fold(text);
  };
  for (const records of options.chats.values()) {
    for (const record of records) searchText.set(record, textOf(record));
  }
  const shown = (record: MyscrmWireRecord): MyscrmWireRecord => {
    if (!inSeconds.has(record.chat_record_id)) return record;
    const recall = typeof record.recall_time === 'number' ? record.recall_time : 0;
    return {
      ...record,
      send_time: record.send_time / 1000,
      recall_time: recall > 0 ? recall / 1000 : recall,
    };
  };

  const sign = (key: string, offset: number): Buffer =>
    createHmac('sha256', secret).update(`${key}\n${offset}`).digest().subarray(0, SIGNATURE_BYTES);
  const encodeCursor = (key: string, offset: number): string =>
    `${Buffer.from(String(offset)).toString('base64url')}.${sign(key, offset).toString('base64url')}`;
  const decodeCursor = (key: string, cursor: string): number | null => {
    const [payload = '', signature = ''] = cursor.split('.');
    const offsetText = Buffer.from(payload, 'base64url').toString('utf8');
    if (!/^\d{1,9}$/.test(offsetText)) return null;
    const offset = Number(offsetText);
    const given = Buffer.from(signature, 'base64url');
    const expected = sign(key, offset);
    return given.length === expected.length && timingSafeEqual(given, expected) ? offset : null;
  };

  const listOf = (key: string, query: Query): MyscrmWireRecord[] => {
    const live = query.chatId === options.live?.externalId;
    const kept = live ? undefined : lists.get(key);
    if (kept) return kept;
    const keyword = query.keyword === null ? null : fold(query.keyword);
    const records = live ? [...(options.live?.records ?? [])] : (options.chats.get(query.chatId) ?? []);
    const matching = records.filter((record) => {
      if (query.startTime !== null && record.send_time < query.startTime) return false;
      if (query.endTime !== null && record.send_time > query.endTime) return false;
      if (query.type !== null && record.type !== query.type) return false;
      if (query.senderType !== 0 && senderType(record.sender_id) !== query.senderType) return false;
      const text = live ? textOf(record) : searchText.get(record);
      if (keyword !== null && !text?.includes(keyword)) return false;
      return true;
    });
    const list = query.asc ? matching : matching.reverse();
    if (live) return list;
    if (lists.size >= KEPT_LISTS) lists.delete(lists.keys().next().value as string);
    lists.set(key, list);
    return list;
  };

  const groupChats = options.groupChats ?? new Map<string, MyscrmGroupChat>();
  const listPageSize = options.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
  /** Everyone in each chat: the configured members, and whoever sent or received its records. */
  const members = new Map<string, Set<string>>();
  for (const [chatId, chat] of groupChats) {
    const set = new Set(chat.members);
    for (const record of options.chats.get(chatId) ?? []) {
      set.add(record.sender_id);
      if (Array.isArray(record.receiver_ids)) {
        for (const id of record.receiver_ids) if (typeof id === 'string') set.add(id);
      }
    }
    members.set(chatId, set);
  }
  const lastChatAt = (chatId: string, chat: MyscrmGroupChat): number => {
    const records = chatId === options.live?.externalId ? options.live.records : options.chats.get(chatId);
    return records?.at(-1)?.send_time ?? chat.createdAt;
  };

  const listChats = (params: URLSearchParams): EmulatorResponse => {
    const memberId = params.get('member_id');
    if (!memberId) return fail(ERRCODE_INVALID_PARAMETER, 'member_id is required');
    const memberType = params.get('member_type');
    if (memberType !== '1' && memberType !== '2')
      return fail(ERRCODE_INVALID_PARAMETER, 'member_type must be 1 or 2');
    const name = params.get('name') || null;
    const key = JSON.stringify(['list', options.appId, memberId, memberType, name]);
    const cursor = params.get('cursor') ?? '';
    let offset = 0;
    if (cursor !== '') {
      const decoded = decodeCursor(key, cursor);
      if (decoded === null) return fail(ERRCODE_INVALID_CURSOR, 'invalid cursor');
      offset = decoded;
    }
    const isMember = senderType(memberId) === Number(memberType);
    const list = [...groupChats]
      .filter(([chatId, chat]) => {
        if (!isMember || !members.get(chatId)?.has(memberId)) return false;
        return name === null || chat.name.includes(name);
      })
      .map(([chatId, chat]) => ({ chatId, chat, last: lastChatAt(chatId, chat) }))
      .sort((a, b) => b.last - a.last || (a.chatId < b.chatId ? -1 : a.chatId > b.chatId ? 1 : 0));
    const page = list.slice(offset, offset + listPageSize);
    const end = offset + page.length;
    return {
      status: 200,
      body: {
        errcode: 0,
        errmsg: 'ok',
        list: page.map(({ chatId, chat, last }) => ({
          chat_id: chatId,
          name: chat.name,
          created_at: String(Math.floor(chat.createdAt / 1000)),
          last_chat_at: String(last),
          avatar_url: chat.avatarUrl ?? '',
        })),
        next_cursor: end < list.length ? encodeCursor(key, end) : '',
      },
    };
  };

  return (request) => {
    const path = request.url.pathname;
    if (path !== MYSCRM_PULL_PATH && path !== MYSCRM_LIST_PATH) {
      return { status: 404, body: { errmsg: 'not found' } };
    }
    if (request.method !== 'GET') return { status: 405, body: { errmsg: 'method not allowed' } };
    if (request.headers[options.auth.header] !== options.auth.value) {
      return fail(ERRCODE_INVALID_CREDENTIAL, 'invalid credential');
    }
    const params = request.url.searchParams;
    if (params.get('app_id') !== options.appId) return fail(ERRCODE_INVALID_APP_ID, 'invalid app_id');
    if (path === MYSCRM_LIST_PATH) return listChats(params);
    const query = parseQuery(params);
    if (typeof query === 'string') return fail(ERRCODE_INVALID_PARAMETER, query);
    const pageSizeText = params.get('page_size');
    const pageSize = pageSizeText ? Number(pageSizeText) : DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MYSCRM_EMULATOR_MAX_PAGE) {
      return fail(ERRCODE_INVALID_PARAMETER, `page_size must be 1..${MYSCRM_EMULATOR_MAX_PAGE}`);
    }
    const key = JSON.stringify([
      options.appId,
      query.chatId,
      query.startTime,
      query.endTime,
      query.type,
      query.senderType,
      query.keyword,
      query.asc,
    ]);
    const cursor = params.get('cursor') ?? '';
    let offset = 0;
    if (cursor !== '') {
      const decoded = decodeCursor(key, cursor);
      if (decoded === null) return fail(ERRCODE_INVALID_CURSOR, 'invalid cursor');
      offset = decoded;
    }
    const list = listOf(key, query);
    const served = Math.min(pageSize, quirks.pageCap ?? pageSize);
    // Repeating a record in place of a new one needs room for at least one new one.
    const repeating =
      quirks.repeat > 0 && offset > 0 && served > 1 && Math.floor(offset / served) % quirks.repeat === 0;
    const repeat = repeating ? list[Math.max(0, offset - served)] : undefined;
    const page = list.slice(offset, offset + served - (repeat ? 1 : 0));
    const end = offset + page.length;
    if (repeat && page.length > 0) page.push(repeat);
    const thumbOption = params.get('thumb_option');
    const out = page.map(shown);
    return {
      status: 200,
      body: {
        errcode: 0,
        errmsg: 'ok',
        list: thumbOption ? out.map((record) => withThumbOption(record, thumbOption)) : out,
        next_cursor: end < list.length ? encodeCursor(key, end) : '',
      },
    };
  };
}

/** OSS thumbnails are the original with an image process applied. */
function withThumbOption(record: MyscrmWireRecord, thumbOption: string): MyscrmWireRecord {
  const image = record.image;
  if (record.type !== 'image' || !isRecord(image) || typeof image.oss_url !== 'string') return record;
  return {
    ...record,
    image: { ...image, thumb_url: `${image.oss_url}?x-oss-process=${encodeURIComponent(thumbOption)}` },
  };
}
