/**
 * AIRUDDER's callbacks at `POST /webhooks/<source>`: with the source's secret they wake the walk
 * at once (no poll is due in these tests); without it, or malformed, they are refused and cost no
 * vendor call. The emulator itself calls back after each live message.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { listen } from '../../src/server.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type LiveEdge, MESSAGE_ADDED, sse } from '../helpers/live.js';

const SECRET = 'airudder-webhook-secret-0123';
const NEVER = 3_600_000;

let h: Harness;
let server: Server;
let url: string;
let feed: LiveFeed;
let id: string;

beforeAll(async () => {
  h = await startHarness({
    vendors: ['AIRUDDER', 'WECHAT_STORE'],
    policy: {
      live: { minIntervalMs: NEVER, maxIntervalMs: NEVER },
      webhooks: { airudder: { secret: SECRET }, 'wechat-store': { secret: SECRET } },
    },
    secrets: [SECRET],
  });
  ({ server, url } = await listen(h.yoga, 0, '127.0.0.1'));
  feed = h.sandbox.live?.get('AIRUDDER') as LiveFeed;
  id = encodeNodeId({ kind: 'Conversation', source: 'airudder', conversation: feed.externalId });
  feed.append(2);
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await h.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function history(): Promise<LiveEdge[]> {
  const result = await h.query<{ conversation: { messages: { edges: LiveEdge[] } } }>(
    `query ($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { cursor node { externalId text } } } } }`,
    { id },
  );
  return (result.data?.conversation.messages.edges ?? []).toReversed();
}

describe('POST /webhooks/<source>', () => {
  it('refuses a wrong secret, a body that is no callback and a source without webhooks, calling no vendor', async () => {
    const calls = h.calls('AIRUDDER').count;
    const envelope = { event: 'message', call_id: feed.externalId, messages: [] };
    const wrong = await post('/webhooks/airudder', envelope, { authorization: 'Bearer not-the-secret' });
    expect([wrong.status, (await wrong.json()).code]).toEqual([401, 'UNAUTHENTICATED']);
    const missing = await post('/webhooks/airudder', envelope);
    expect(missing.status).toBe(401);
    const bad = await post('/webhooks/airudder', { event: 'message' }, { authorization: `Bearer ${SECRET}` });
    expect([bad.status, (await bad.json()).code]).toEqual([400, 'INVALID_ARGUMENT']);
    const notJson = await post('/webhooks/airudder', '{', { authorization: `Bearer ${SECRET}` });
    expect(notJson.status).toBe(400);
    const none = await post('/webhooks/wechat-store', envelope, { authorization: `Bearer ${SECRET}` });
    expect(none.status).toBe(404);
    const unknown = await post('/webhooks/nope', envelope, { authorization: `Bearer ${SECRET}` });
    expect(unknown.status).toBe(404);
    // A path that is not percent-encoding names no source either (it once answered 500 and a stack).
    const garbled = await post('/webhooks/%E0%A4%A', envelope, { authorization: `Bearer ${SECRET}` });
    expect([garbled.status, (await garbled.json()).code]).toEqual([404, 'NOT_FOUND']);
    // The body limit holds for callbacks too, streamed or declared, before any of it is read.
    const large = JSON.stringify({ ...envelope, padding: 'x'.repeat(h.app.policy.maxBodyBytes) });
    const declared = await post('/webhooks/airudder', large, { authorization: `Bearer ${SECRET}` });
    const streamed = await fetch(`${url}/webhooks/airudder`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: new Blob([large]).stream(),
      duplex: 'half',
    } as RequestInit);
    for (const answer of [declared, streamed]) {
      expect([answer.status, (await answer.json()).errors[0].extensions.code]).toEqual([
        413,
        'REQUEST_TOO_LARGE',
      ]);
    }
    const get = await fetch(`${url}/webhooks/airudder?secret=${SECRET}`);
    expect(get.status).toBe(405);
    expect(h.calls('AIRUDDER').count).toBe(calls);
  });

  it('wakes the walk when the emulator calls back: subscribers get the messages with no poll due', async () => {
    feed.connectWebhook(`${url}/webhooks/airudder`, SECRET);
    const before = await history();
    const stream = await sse(h, MESSAGE_ADDED, { id, after: before.at(-2)?.cursor });
    try {
      expect((await stream.next(1))[0]?.data?.messageAdded).toEqual(before.at(-1));
      feed.append(3);
      const edges = (await stream.next(3)).map((result) => result.data?.messageAdded);
      expect(edges).toEqual((await history()).slice(-3));
    } finally {
      await stream.close();
    }
  });

  it('tells sessionEnded subscribers over SSE when the vendor calls back that the session ended', async () => {
    const ended = await sse<{ data?: { sessionEnded: Record<string, unknown> } }>(
      h,
      `subscription ($id: ID!) { sessionEnded(conversationId: $id) { conversationId reportedAt vendorEvent } }`,
      { id },
    );
    try {
      // Subscribed once the hub lists it: an end reported before that is not replayed.
      while (liveHub(h.app).endWatched === 0) await new Promise((resolve) => setImmediate(resolve));
      const auth = { authorization: `Bearer ${SECRET}` };
      // A message callback is no session end; only the end callback is delivered, once.
      expect(
        (await post('/webhooks/airudder', { event: 'message', call_id: feed.externalId }, auth)).status,
      ).toBe(202);
      const before = Date.now();
      const end = { event: 'session_end', call_id: feed.externalId };
      expect((await post('/webhooks/airudder', end, auth)).status).toBe(202);
      const [event] = await ended.next(1);
      expect(event?.data?.sessionEnded).toMatchObject({ conversationId: id, vendorEvent: 'session_end' });
      expect(Date.parse(event?.data?.sessionEnded.reportedAt as string)).toBeGreaterThanOrEqual(
        before - 1_000,
      );
      // Another conversation's end is not this subscription's; the next one here is.
      await post('/webhooks/airudder', { event: 'session_closed', call_id: 'another-session' }, auth);
      await post('/webhooks/airudder', { event: 'SessionEnded', call_id: feed.externalId }, auth);
      const [next] = await ended.next(1);
      expect(next?.data?.sessionEnded.vendorEvent).toBe('SessionEnded');
    } finally {
      await ended.close();
    }
    while (liveHub(h.app).endWatched > 0) await new Promise((resolve) => setImmediate(resolve));
  });
});
