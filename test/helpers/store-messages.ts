/** Messages for store tests: a myscrm-shaped text message at a minute past `T0`. */
import type { Message } from '../../src/model/index.js';

export const T0 = Date.UTC(2026, 10, 1);

export function message(
  conversation: string,
  id: string,
  minute: number,
  text: string | null,
  extra: Partial<Message> & Record<string, unknown> = {},
): Message {
  return {
    vendor: 'MYSCRM',
    source: 'scrm',
    conversation,
    externalId: id,
    sentAt: T0 + minute * 60_000,
    sender: {
      role: 'CUSTOMER',
      externalId: `u-${conversation}`,
      displayName: `客户${conversation}`,
      avatarUrl: null,
    },
    kind: 'TEXT',
    text,
    recalled: false,
    content: { __typename: 'TextContent', text: text ?? '' },
    raw: { id, text },
    ...extra,
  } as Message;
}
