/** Subscriptions are bounded: per client, per process, and by what a slow reader may leave unread. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/api-keys.js';
import { createContext } from '../../src/context.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { MESSAGE_ADDED, sse } from '../helpers/live.js';

const KEYS = { a: 'live-limits-key-a-0123456789', b: 'live-limits-key-b-0123456789' };
const NEVER = 3_600_000;

let h: Harness;
let feed: LiveFeed;
let id: string;
const conversation = () => ({
  vendor: 'WECHAT_STORE' as const,
  source: 'wechat-store',
  externalId: feed.externalId,
});

beforeAll(async () => {
  h = await startHarness({
    vendors: ['WECHAT_STORE'],
    policy: {
      clients: [
        { name: 'a', keyHash: hashApiKey(KEYS.a), sources: null },
        { name: 'b', keyHash: hashApiKey(KEYS.b), sources: null },
      ],
      live: {
        minIntervalMs: NEVER,
        maxIntervalMs: NEVER,
        maxSubscriptionsPerClient: 2,
        maxSubscriptions: 3,
        bufferSize: 4,
      },
    },
    secrets: Object.values(KEYS),
  });
  feed = h.sandbox.live?.get('WECHAT_STORE') as LiveFeed;
  feed.append(1);
  id = encodeNodeId({ kind: 'Conversation', source: 'wechat-store', conversation: feed.externalId });
});
afterAll(() => h.close());

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

it('refuses a client its third subscription, and the process its fourth, with TOO_MANY_SUBSCRIPTIONS', async () => {
  const open = [
    await sse(h, MESSAGE_ADDED, { id }, auth(KEYS.a)),
    await sse(h, MESSAGE_ADDED, { id }, auth(KEYS.a)),
  ];
  try {
    const third = await sse(h, MESSAGE_ADDED, { id }, auth(KEYS.a));
    const [refused] = await third.next();
    expect(refused?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 2 });
    await third.close();
    open.push(await sse(h, MESSAGE_ADDED, { id }, auth(KEYS.b)));
    const fourth = await sse(h, MESSAGE_ADDED, { id }, auth(KEYS.b));
    const [full] = await fourth.next();
    expect(full?.errors?.[0]?.extensions).toEqual({ code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 });
    await fourth.close();
  } finally {
    for (const stream of open) await stream.close();
  }
});

it('ends a subscriber that leaves more than bufferSize messages unread with SUBSCRIBER_TOO_SLOW', async () => {
  const hub = liveHub(h.app);
  const start = (
    await h.query<{ conversation: { messages: { edges: Array<{ cursor: string }> } } }>(
      `query ($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { cursor } } } }`,
      { id },
      auth(KEYS.a),
    )
  ).data?.conversation.messages.edges[0]?.cursor as string;
  const slow = hub.subscribe(createContext(h.app), conversation(), start);
  const first = slow.next();
  await hub.wake('wechat-store', feed.externalId);
  feed.append(1);
  await hub.wake('wechat-store', feed.externalId);
  expect((await first).done).toBe(false);
  // Five arrive while it reads none: one more than its buffer holds.
  feed.append(5);
  await hub.wake('wechat-store', feed.externalId);
  await expect(slow.next()).rejects.toMatchObject({ code: 'SUBSCRIBER_TOO_SLOW', details: { limit: 4 } });
  expect(hub.subscriptions).toBe(0);
});
