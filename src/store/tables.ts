/**
 * The store's tables, as Kysely sees them. Times are epoch milliseconds (BIGINT); booleans are
 * 0/1 integers, which both engines read alike.
 */
import type { Generated } from 'kysely';

export interface ConversationsTable {
  source: string;
  external_id: string;
  vendor: string;
  /** A name the vendor gives the conversation in its listings (a group chat's name); null: none. */
  title: string | null;
  last_activity_at: number;
  last_message_id: string | null;
  /** The newest message's plain text, cut to `PREVIEW_LENGTH`. */
  preview: string | null;
  /** 1 when any message seen carried a compliance flag. */
  flagged: number;
  first_seen_at: number;
  /**
   * The oldest message the vendor still returned when a walk toward older messages was last
   * proven at its end (an archived source only): older messages come from the store.
   */
  floor_t: number | null;
  floor_id: string | null;
}

export interface ParticipantsTable {
  source: string;
  conversation: string;
  /** A sender's display name, or its vendor id when it has none. */
  name: string;
}

export interface FlagsTable {
  source: string;
  conversation: string;
  flag: string;
}

export interface MessagesTable {
  /**
   * `sent_at * 1024 + a hash of the message's identity`: unique, and in time order, so that the
   * full-text index (whose rowid this is on SQLite) yields the newest hits first and stops early.
   */
  seq: number;
  source: string;
  conversation: string;
  external_id: string;
  sent_at: number;
  kind: string;
  sender_role: string;
  sender_name: string | null;
  text: string | null;
  /** The normalized message without `raw`, as JSON. */
  body: string;
  /** The vendor record as received, as JSON. */
  raw: string;
  /** The earliest expiry of a media link in the message; null: none expires. */
  media_expires_at: number | null;
  stored_at: Generated<number>;
}

export interface Tables {
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  conversation_flags: FlagsTable;
  messages: MessagesTable;
}
