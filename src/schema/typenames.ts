/**
 * Which GraphQL object type a resolved value is. Conversations and messages are plain model
 * objects tagged with their vendor; each vendor has one object type of each.
 */
import type { Vendor } from '../model/index.js';

export const CONVERSATION_TYPENAME: Record<Vendor, string> = {
  WECHAT_STORE: 'WechatStoreRoom',
  AIRUDDER: 'AirudderSession',
  WEIZHIPIN: 'WeizhipinChat',
  MYSCRM: 'MyscrmChat',
};

export const MESSAGE_TYPENAME: Record<Vendor, string> = {
  WECHAT_STORE: 'WechatStoreMessage',
  AIRUDDER: 'AirudderMessage',
  WEIZHIPIN: 'WeizhipinMessage',
  MYSCRM: 'MyscrmMessage',
};

/** Sources are `Source` objects; messages have `sentAt`; conversations are the rest. */
export function graphqlTypename(value: object): string {
  if ('capabilities' in value) return 'Source';
  const { vendor } = value as { vendor: Vendor };
  return 'sentAt' in value ? MESSAGE_TYPENAME[vendor] : CONVERSATION_TYPENAME[vendor];
}
