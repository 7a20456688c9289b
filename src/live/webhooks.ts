/**
 * Which sources can wake their subscriptions with a vendor's callbacks, and how to find the
 * conversation in one. A callback is a hint: it only makes the walk read now.
 */
import type { Vendor } from '../model/index.js';
import { airudderWebhookConversation } from '../sources/airudder/webhook.js';

export type WebhookParser = (body: unknown) => { conversation: string; event: string | null } | null;

export const WEBHOOK_PARSERS: Partial<Record<Vendor, WebhookParser>> = {
  AIRUDDER: airudderWebhookConversation,
};
