/**
 * The AIRUDDER chatbot wire format of `POST /api/v1/session/messages`, read leniently: only what
 * paging needs is required (the envelope's `code`, each message's `msg_id` and `timestamp`);
 * everything else is optional and typed loosely, because the vendor's data does not follow its own
 * documentation (the sample has `status: "send"` and `sender_type: "chatbot"`, neither documented).
 * Content stays `unknown` here: the normalizer reads it field by field and never fails a page on it.
 * See `../shared/vendors/airudder.md` ("*Query message list") and its sample response.
 */
import { z } from 'zod';
import { looseId, looseInt, MAX_EPOCH_SECONDS } from '../../normalize/wire.js';

export const AirudderSessionMessagesResponse = z.object({
  request_id: looseId.nullish(),
  code: looseInt,
  message: z.string().nullish(),
  /** Documented as required; error envelopes send null or leave it out. */
  data: z.array(z.unknown()).nullish(),
});
export type AirudderSessionMessagesResponse = z.output<typeof AirudderSessionMessagesResponse>;

/** One message of `data`. */
export const AirudderSessionMessage = z.object({
  msg_id: z.string().min(1),
  seat_id: z.string().nullish(),
  /** Epoch seconds; refused when not a time at all (see `MAX_EPOCH_SECONDS`). */
  timestamp: looseInt.refine((value) => Math.abs(value) <= MAX_EPOCH_SECONDS, 'not an epoch time'),
  sender_type: z.string().nullish(),
  status: z.string().nullish(),
  content: z.unknown().optional(),
  /** The quoted message: documented as a message object, sent flattened (content fields + msg_id). */
  reply: z.unknown().optional(),
});
export type AirudderSessionMessage = z.output<typeof AirudderSessionMessage>;

/** Request body of `/api/v1/session/messages`. */
export interface AirudderSessionMessagesRequest {
  /** The session id. */
  call_id: string;
  /** Messages older than this one; "" for the newest. */
  last_msg_id: string;
  size: number;
  /** The only documented retrieval method. */
  type: 'single';
}

export const SESSION_MESSAGES_PATH = '/api/v1/session/messages';
/** The envelope's `code` on success. */
export const CODE_OK = 200;
