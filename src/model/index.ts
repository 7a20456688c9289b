/**
 * The unified model every vendor is normalized into. The GraphQL schema exposes exactly these
 * shapes; the normalizers in `src/normalize` produce them from vendor payloads.
 */
import type { Content } from './content.js';

export * from './content.js';

/** A vendor: the `id` of one of the registry's definitions (`VENDORS` in src/sources/index.ts). */
export type Vendor = string;

export const SENDER_ROLES = ['CUSTOMER', 'AGENT', 'BOT', 'SYSTEM', 'UNKNOWN'] as const;
export type SenderRole = (typeof SENDER_ROLES)[number];

export const CONTENT_KINDS = [
  'TEXT',
  'RICH_TEXT',
  'IMAGE',
  'VIDEO',
  'AUDIO',
  'FILE',
  'STICKER',
  'LOCATION',
  'LINK',
  'CARD',
  'INTERACTIVE',
  'TEMPLATE',
  'SYSTEM',
  'UNSUPPORTED',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface Sender {
  role: SenderRole;
  externalId: string | null;
  displayName: string | null;
  avatarUrl: string | null;
}

/**
 * Where a message stands in its conversation: enough for its source to resume paging right after
 * it or to find it again. `t` is `sentAt` in epoch milliseconds, `id` the vendor's message id.
 */
export interface Position {
  id: string;
  t: number;
}

/**
 * One message, whatever its vendor. `C` narrows the content union for a vendor's own model;
 * `extra` carries vendor-only fields that its GraphQL type exposes.
 */
export interface Message<C extends Content = Content> {
  vendor: Vendor;
  /** Name of the configured source the message was read from. */
  source: string;
  /** External id of the conversation the message belongs to. */
  conversation: string;
  externalId: string;
  /** Epoch milliseconds. */
  sentAt: number;
  sender: Sender;
  kind: ContentKind;
  /** Plain-text rendering for previews and search; null when the content has none. */
  text: string | null;
  recalled: boolean;
  content: C;
  /** The vendor record exactly as received. */
  raw: unknown;
}

export interface ConversationRef {
  vendor: Vendor;
  source: string;
  externalId: string;
}

/** A filter in its canonical form: absent parts are `undefined`, sets are sorted and unique. */
export interface MessageFilter {
  /** Inclusive lower bound, epoch ms. */
  since?: number;
  /** Exclusive upper bound, epoch ms. */
  until?: number;
  senderRoles?: SenderRole[];
  kinds?: ContentKind[];
  text?: string;
}

export function positionOf(message: Pick<Message, 'externalId' | 'sentAt'>): Position {
  return { id: message.externalId, t: message.sentAt };
}
