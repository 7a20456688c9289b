/**
 * The fast path of the weizhipin wire schemas (`wire.ts`): plain functions that read the common,
 * well-formed `im/v2/messages` answer and its records exactly as zod reads them (the sender's and
 * mentions' two spellings merged, `body.content` as a string or a plain object), and return
 * `undefined` on anything unusual, which then goes through the lenient zod schema as before (it
 * stays the definition of tolerance). The differential tests in
 * `test/sources/weizhipin/fast-wire.test.ts` hold every value returned here to zod's.
 */
import type { z } from 'zod';
import {
  fastLooseInt,
  fastUnknownArray,
  isObjectLike,
  presentButUndefined,
} from '../../normalize/fast-fields.js';
import { parseWire } from '../../normalize/wire.js';
import {
  type WeizhipinImMention,
  WeizhipinImMessage,
  WeizhipinImMessagesResponse,
  type WeizhipinImSender,
} from './wire.js';

type MessagesResponse = z.output<typeof WeizhipinImMessagesResponse>;

/** Reading a field failed: zod must decide. */
const UNUSUAL = Symbol('unusual');

/** `optString` (`z.string().nullish()`) where a missing key and `undefined` read alike. */
function optString(value: unknown): string | null | undefined | typeof UNUSUAL {
  return typeof value === 'string' || value === null || value === undefined ? value : UNUSUAL;
}

/** `WeizhipinImSender` (both spellings merged); UNUSUAL when zod must decide. */
function sender(value: Record<string, unknown>): WeizhipinImSender | typeof UNUSUAL {
  const id = optString(value.id);
  const idSnake = optString(value.id_type);
  const idCamel = optString(value.idType);
  const typeSnake = optString(value.sender_type);
  const typeCamel = optString(value.senderType);
  const tenantSnake = optString(value.tenant_key);
  const tenantCamel = optString(value.tenantKey);
  if (
    id === UNUSUAL ||
    idSnake === UNUSUAL ||
    idCamel === UNUSUAL ||
    typeSnake === UNUSUAL ||
    typeCamel === UNUSUAL ||
    tenantSnake === UNUSUAL ||
    tenantCamel === UNUSUAL
  ) {
    return UNUSUAL;
  }
  return {
    id: id ?? null,
    idType: idSnake ?? idCamel ?? null,
    senderType: typeSnake ?? typeCamel ?? null,
    tenantKey: tenantSnake ?? tenantCamel ?? null,
  };
}

/** `WeizhipinImMention`; UNUSUAL when zod must decide. */
function mention(value: unknown): WeizhipinImMention | typeof UNUSUAL {
  if (!isObjectLike(value)) return UNUSUAL;
  const raw = value.id;
  // `looseId`: a string, or a finite number as its text.
  const id =
    typeof raw === 'string' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : UNUSUAL;
  const idSnake = optString(value.id_type);
  const idCamel = optString(value.idType);
  const key = optString(value.key);
  const name = optString(value.name);
  if (
    id === UNUSUAL ||
    idSnake === UNUSUAL ||
    idCamel === UNUSUAL ||
    optString(value.tenant_key) === UNUSUAL ||
    key === UNUSUAL ||
    name === UNUSUAL
  ) {
    return UNUSUAL;
  }
  return { id, idType: idSnake ?? idCamel ?? null, key: key ?? null, name: name ?? null };
}

/**
 * `z.record(z.string(), z.unknown())` on an object parsed from JSON: a copy of its own keys but
 * `__proto__`; UNUSUAL for anything else (another prototype, a constructor function, symbol keys).
 */
function plainRecord(value: object): Record<string, unknown> | typeof UNUSUAL {
  if (Object.getPrototypeOf(value) !== Object.prototype) return UNUSUAL;
  if (
    Object.hasOwn(value, 'constructor') &&
    typeof (value as { constructor: unknown }).constructor === 'function'
  ) {
    return UNUSUAL;
  }
  if (Object.getOwnPropertySymbols(value).length > 0) return UNUSUAL;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key !== '__proto__') copy[key] = (value as Record<string, unknown>)[key];
  }
  return copy;
}

/** `WeizhipinImMessage` on a well-formed record; undefined when zod must decide. */
export function fastImMessage(raw: unknown): WeizhipinImMessage | undefined {
  if (!isObjectLike(raw)) return undefined;
  const messageId = raw.message_id;
  if (typeof messageId !== 'string' || messageId.length === 0) return undefined;
  const createTime = fastLooseInt(raw.create_time);
  if (Number.isNaN(createTime)) return undefined;
  const out: Partial<WeizhipinImMessage> = { message_id: messageId };
  let value: unknown;

  value = raw.root_id;
  if (typeof value === 'string' || value === null) out.root_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'root_id')) return undefined;
  value = raw.parent_id;
  if (typeof value === 'string' || value === null) out.parent_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'parent_id')) return undefined;
  value = raw.msg_type;
  if (typeof value === 'string' || value === null) out.msg_type = value;
  else if (value !== undefined || presentButUndefined(raw, 'msg_type')) return undefined;
  out.create_time = createTime;
  value = raw.update_time;
  if (value === null) out.update_time = null;
  else if (value !== undefined) {
    const time = fastLooseInt(value);
    if (Number.isNaN(time)) return undefined;
    out.update_time = time;
  } else if (presentButUndefined(raw, 'update_time')) return undefined;
  value = raw.deleted;
  if (typeof value === 'boolean' || value === null) out.deleted = value;
  else if (value !== undefined || presentButUndefined(raw, 'deleted')) return undefined;
  value = raw.updated;
  if (typeof value === 'boolean' || value === null) out.updated = value;
  else if (value !== undefined || presentButUndefined(raw, 'updated')) return undefined;
  value = raw.chat_id;
  if (typeof value === 'string' || value === null) out.chat_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'chat_id')) return undefined;

  value = raw.sender;
  if (value === null) out.sender = null;
  else if (isObjectLike(value)) {
    const read = sender(value);
    if (read === UNUSUAL) return undefined;
    out.sender = read;
  } else if (value !== undefined || presentButUndefined(raw, 'sender')) return undefined;

  value = raw.body;
  if (value === null) out.body = null;
  else if (isObjectLike(value)) {
    const content = value.content;
    if (typeof content === 'string' || content === null) out.body = { content };
    else if (content === undefined) {
      if (presentButUndefined(value, 'content')) return undefined;
      out.body = {};
    } else if (typeof content === 'object' && !Array.isArray(content)) {
      const copy = plainRecord(content);
      if (copy === UNUSUAL) return undefined;
      out.body = { content: copy };
    } else return undefined;
  } else if (value !== undefined || presentButUndefined(raw, 'body')) return undefined;

  value = raw.mentions;
  if (value === null) out.mentions = null;
  else if (Array.isArray(value)) {
    const mentions: WeizhipinImMention[] = [];
    for (let i = 0; i < value.length; i++) {
      const read = mention(value[i]);
      if (read === UNUSUAL) return undefined;
      mentions.push(read);
    }
    out.mentions = mentions;
  } else if (value !== undefined || presentButUndefined(raw, 'mentions')) return undefined;

  value = raw.upper_message_id;
  if (typeof value === 'string' || value === null) out.upper_message_id = value;
  else if (value !== undefined || presentButUndefined(raw, 'upper_message_id')) return undefined;
  return out as WeizhipinImMessage;
}

/** `WeizhipinImMessagesResponse` on a well-formed answer; undefined when zod must decide. */
export function fastMessagesResponse(body: unknown): MessagesResponse | undefined {
  if (!isObjectLike(body)) return undefined;
  const code = fastLooseInt(body.code);
  if (Number.isNaN(code)) return undefined;
  const out: Partial<MessagesResponse> = { code };
  const msg = body.msg;
  if (typeof msg === 'string' || msg === null) out.msg = msg;
  else if (msg !== undefined || presentButUndefined(body, 'msg')) return undefined;
  const traceId = body.traceId;
  if (typeof traceId === 'string' || traceId === null) out.traceId = traceId;
  else if (traceId !== undefined || presentButUndefined(body, 'traceId')) return undefined;
  // `data`: a bare list, or Lark's `{items}`; absent or null reads as no records.
  const data = body.data;
  if (data === null || data === undefined) out.data = [];
  else if (Array.isArray(data)) out.data = fastUnknownArray(data);
  else if (isObjectLike(data)) {
    const items = data.items;
    if (items === null || items === undefined) out.data = [];
    else if (Array.isArray(items)) out.data = fastUnknownArray(items);
    else return undefined;
  } else return undefined;
  return out as MessagesResponse;
}

/** `im/v2/messages`'s answer: the fast path, else `parseWire` (zod) as the definition of tolerance. */
export function readMessagesResponse(body: unknown, source: string): MessagesResponse {
  return fastMessagesResponse(body) ?? parseWire(WeizhipinImMessagesResponse, body, source, 'im/v2/messages');
}

/** One record of `data` (`what` names it in a refusal): the fast path, else zod. */
export function readImMessage(raw: unknown, source: string, what: string): WeizhipinImMessage {
  return fastImMessage(raw) ?? parseWire(WeizhipinImMessage, raw, source, what);
}
