import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { encodeNodeId } from '../../src/ids.js';
import { type LiveSubscription, liveHub } from '../../src/live/hub.js';
import type { Vendor } from '../../src/model/index.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { VENDORS } from '../../src/sources/index.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type LiveEdge, MESSAGE_ADDED, sse } from '../helpers/live.js';

/** Polls only when a test wakes them: no timer fires during a test. */
const NEVER = 3_600_000;

const VENDOR_IDS = VENDORS.map((definition) => definition.id);

describe.each(VENDOR_IDS)('messageAdded on %s', (vendor: Vendor) => {
  let harness: Harness;
  let feed: LiveFeed;
  let id: string;
  const source = sandboxSourceName(vendor);

  beforeAll(async () => {
    harness = await startHarness({
      vendors: [vendor],
      policy: { live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } },
    });
    feed = harness.sandbox.live?.get(vendor) as LiveFeed;
    id = encodeNodeId({ kind: 'Conversation', source, conversation: feed.externalId });
    feed.append(5);
  });
  afterAll(() => harness.close());

  /** The conversation's messages, oldest first, through `messages`. */
  async function history(): Promise<LiveEdge[]> {
    const result = await harness.query<{ conversation: { messages: { edges: LiveEdge[] } } }>(
      `query ($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { cursor node { externalId text } } } } }`,
      { id },
    );
    expect(result.errors).toBeUndefined();
    return (result.data?.conversation.messages.edges ?? []).toReversed();
  }

  const wake = () => liveHub(harness.app).wake(source, feed.externalId);
  const edgesOf = (results: Array<{ data?: { messageAdded: LiveEdge } | null }>) =>
    results.map((result) => result.data?.messageAdded as LiveEdge);

  it('delivers, from a history cursor, what followed it and then exactly the appended messages, in order', async () => {
    const before = await history();
    const from = before.at(-3) as LiveEdge;
    const stream = await sse(harness, MESSAGE_ADDED, { id, after: from.cursor });
    try {
      // The two history messages after the cursor come first: the join has no gap.
      expect(edgesOf(await stream.next(2))).toEqual(before.slice(-2));
      feed.append(7);
      await wake();
      const live = edgesOf(await stream.next(7));
      const after = await history();
      expect(live).toEqual(after.slice(-7));
      // Nothing else was sent in between: the next event is the next message appended.
      feed.append(1);
      await wake();
      expect(edgesOf(await stream.next(1))).toEqual((await history()).slice(-1));
    } finally {
      await stream.close();
    }
  });

  it('resumes from the last cursor received without missing or repeating a message', async () => {
    const start = (await history()).at(-1) as LiveEdge;
    const first = await sse(harness, MESSAGE_ADDED, { id, after: start.cursor });
    feed.append(3);
    await wake();
    const seen = edgesOf(await first.next(3));
    await first.close();
    // Messages arrive while the client is away, and one wake-up is lost (nobody polls them).
    feed.append(4);
    const second = await sse(harness, MESSAGE_ADDED, { id, after: seen.at(-1)?.cursor });
    try {
      const resumed = edgesOf(await second.next(4));
      const all = await history();
      expect([...seen, ...resumed]).toEqual(all.slice(-7));
    } finally {
      await second.close();
    }
  });

  it("refuses another conversation's cursor, or an altered one, as the field's error, watching nothing", async () => {
    const long = harness.sandbox.conversations.find(
      (conversation) => conversation.source === source && conversation.externalId.endsWith('sandbox-long'),
    );
    const other = encodeNodeId({ kind: 'Conversation', source, conversation: long?.externalId ?? '' });
    const page = await harness.query<{ conversation: { messages: { edges: LiveEdge[] } } }>(
      `query ($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { cursor node { externalId text } } } } }`,
      { id: other },
    );
    const foreign = page.data?.conversation.messages.edges[0]?.cursor as string;
    const own = (await history()).at(-1)?.cursor as string;
    const watched = liveHub(harness.app).watched;
    // Altered where every bit of the character counts: the first of the cursor's position.
    const altered = `${own.startsWith('M') ? 'N' : 'M'}${own.slice(1)}`;
    for (const after of [foreign, altered]) {
      const stream = await sse<{ errors?: Array<{ path?: string[]; extensions?: { code?: string } }> }>(
        harness,
        MESSAGE_ADDED,
        { id, after },
      );
      try {
        const [result] = await stream.next(1);
        expect(result?.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([
          ['INVALID_CURSOR', ['messageAdded']],
        ]);
      } finally {
        await stream.close();
      }
    }
    expect(liveHub(harness.app).watched).toBe(watched);
  });

  it('starts at the moment of subscribing without a cursor', async () => {
    const stream = await sse(harness, MESSAGE_ADDED, { id });
    try {
      // Until the subscription has read where it starts, an append might count as before it:
      // wait for the hub to have this conversation's watch, then append.
      while (liveHub(harness.app).watched === 0) await new Promise((resolve) => setImmediate(resolve));
      await wake();
      feed.append(2);
      await wake();
      expect(edgesOf(await stream.next(2))).toEqual((await history()).slice(-2));
    } finally {
      await stream.close();
    }
  });

  it('joins without a cursor with one read of where it starts, and no walk of its own', async () => {
    const hub = liveHub(harness.app);
    // The earlier tests' streams are closed; their watch goes once the server has seen them go.
    while (hub.watched > 0) await new Promise((resolve) => setImmediate(resolve));
    const conversation = { vendor, source, externalId: feed.externalId };
    const calls = harness.calls(vendor);
    const counted = async (work: () => Promise<unknown>) => {
      const before = calls.count;
      await work();
      return calls.count - before;
    };
    const newestPage = `query ($id: ID!) { conversation(id: $id) { messages(first: 1) { edges { cursor } } } }`;
    const newest = await counted(() => harness.query(newestPage, { id }));
    const subscribe = () => hub.subscribe(createContext(harness.app), conversation, null);
    let first: LiveSubscription | undefined;
    // Its read of the newest message, then the new watch's first poll (its head), settled by a
    // poll after it.
    const firstJoin = await counted(async () => {
      first = subscribe();
      await first.joined;
      await wake();
    });
    const poll = await counted(wake);
    // The watch is at the head the subscribers start from: a second one reads its start only.
    const second = subscribe();
    const secondJoin = await counted(async () => {
      await second.joined;
      await wake();
    });
    expect({ firstJoin, secondJoin }).toEqual({ firstJoin: 2 * newest + poll, secondJoin: newest + poll });
    feed.append(1);
    await wake();
    const appended = (await history()).at(-1)?.node.externalId;
    for (const subscription of [first as LiveSubscription, second]) {
      expect((await subscription.next()).value?.node.externalId).toBe(appended);
      await subscription.return?.();
    }
    expect(hub.watched).toBe(0);
  });

  it('polls once for 1,000 subscribers: the vendor calls of a poll do not grow with them', {
    timeout: 240_000,
  }, async () => {
    const hub = liveHub(harness.app);
    const conversation = { vendor, source, externalId: feed.externalId };
    /** Vendor calls of one poll that finds 3 new messages, with `count` subscribers reading them. */
    const callsOfAPoll = async (count: number) => {
      const start = ((await history()).at(-1) as LiveEdge).cursor;
      const subscriptions = Array.from({ length: count }, () =>
        hub.subscribe(createContext(harness.app), conversation, start),
      );
      // Each joins (its own read from its cursor) on its first read; once the watch has read its
      // head, a message appended reaches them all, and they are in step.
      const firsts = Promise.all(subscriptions.map((subscription) => subscription.next()));
      await wake();
      feed.append(1);
      await wake();
      const first = await firsts;
      expect(new Set(first.map((result) => result.value?.node.externalId)).size).toBe(1);
      const calls = harness.calls(vendor).count;
      feed.append(3);
      await wake();
      const polled = harness.calls(vendor).count - calls;
      for (const subscription of subscriptions) {
        const got = [await subscription.next(), await subscription.next(), await subscription.next()];
        expect(got.map((result) => result.value?.node.externalId)).toEqual(
          (await history()).slice(-3).map((edge) => edge.node.externalId),
        );
        await subscription.return?.();
      }
      return polled;
    };
    const alone = await callsOfAPoll(1);
    const crowded = await callsOfAPoll(1_000);
    expect({ alone, crowded }).toEqual({ alone: 1, crowded: 1 });
    expect(hub.subscriptions).toBe(0);
    expect(hub.watched).toBe(0);
  });
});
