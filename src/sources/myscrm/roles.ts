/**
 * Who is an employee in a myscrm chat, as the vendor said it. Records carry no role and ids do not
 * tell (the vendor's sample has an employee's greeting sent from a `wo…` id); the vendor's
 * `sender_type` query parameter does: every record an answer to `sender_type=1` holds is an
 * employee's, to `2` an external contact's. What answers showed is kept per chat, for the source's
 * lifetime (a person's role in a chat does not change), a bounded number of chats at a time.
 */
import type { SenderRole } from '../../model/index.js';
import { type MyscrmSenderType, SENDER_TYPE_EMPLOYEE, SENDER_TYPE_EXTERNAL } from './wire.js';

export type KnownRole = 'AGENT' | 'CUSTOMER';

/** The role every sender of an answer to this `sender_type` has; null for all senders (0). */
export function roleOfSenderType(senderType: MyscrmSenderType | null): KnownRole | null {
  if (senderType === SENDER_TYPE_EMPLOYEE) return 'AGENT';
  if (senderType === SENDER_TYPE_EXTERNAL) return 'CUSTOMER';
  return null;
}

export class MyscrmRoles {
  readonly #chats = new Map<string, Map<string, KnownRole>>();
  readonly #maxChats: number;

  constructor(maxChats = 10_000) {
    this.#maxChats = maxChats;
  }

  get(chatId: string, senderId: string | null): SenderRole {
    if (senderId === null) return 'UNKNOWN';
    return this.#chats.get(chatId)?.get(senderId) ?? 'UNKNOWN';
  }

  learn(chatId: string, senderId: string | null, role: KnownRole): void {
    if (senderId === null) return;
    let chat = this.#chats.get(chatId);
    if (chat) {
      // Most recently used last, so the oldest chat is the first key.
      this.#chats.delete(chatId);
    } else {
      chat = new Map();
      if (this.#chats.size >= this.#maxChats) this.#chats.delete(this.#chats.keys().next().value as string);
    }
    this.#chats.set(chatId, chat);
    chat.set(senderId, role);
  }
}
