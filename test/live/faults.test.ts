/**
 * Subscriptions under vendor faults: a poll that fails is retried at the next wake-up, a read of
 * the subscriber's own that fails ends its subscription with a typed error, and a client that
 * subscribes again from the last cursor it received ends up with exactly the appended messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { isChatgraphError, VENDOR_FAULT_CODES } from '../../src/errors.js';
import { encodeNodeId } from '../../src/ids.js';
import { liveHub } from '../../src/live/hub.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import type { LiveFeed } from '../../src/sandbox/live.js';
import { VENDORS } from '../../src/sources/index.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const NEVER = 3_600_000;
const APPENDED = 30;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    configure: (configs) =>
      configs.map((config) => ({
        ...config,
        http: {
          headersTimeoutMs: 150,
          bodyTimeoutMs: 150,
          retryMinDelayMs: 1,
          retryMaxDelayMs: 20,
          breakerFailureThreshold: 10_000,
        },
      })),
    policy: { requestTimeoutMs: 5_000, live: { minIntervalMs: NEVER, maxIntervalMs: NEVER } },
  });
});
afterAll(() => h.close());

describe.each(VENDORS.map((definition) => definition.id))(
  'messageAdded on %s under vendor faults',
  (vendor) => {
    it('delivers exactly the appended messages, in order, to a client that resumes from its cursor', {
      timeout: 120_000,
    }, async () => {
      const feed = h.sandbox.live?.get(vendor) as LiveFeed;
      const source = sandboxSourceName(vendor);
      const conversation = { vendor, source, externalId: feed.externalId };
      const hub = liveHub(h.app);
      feed.append(2);
      const id = encodeNodeId({ kind: 'Conversation', source, conversation: feed.externalId });
      const newest = (count: number) =>
        h.query<{
          conversation: { messages: { edges: Array<{ cursor: string; node: { externalId: string } }> } };
        }>(
          `query ($id: ID!) { conversation(id: $id) { messages(first: ${count}) { edges { cursor node { externalId } } } } }`,
          { id },
        );
      // Where the client starts: the newest message, read without faults.
      let cursor = (await newest(1)).data?.conversation.messages.edges[0]?.cursor as string;
      const expected = feed.size;

      for (const emulator of h.sandbox.emulators.values()) {
        emulator.calls.reset();
        emulator.setFaults({
          errorRate: 0.06,
          rateLimitRate: 0.03,
          retryAfterSeconds: 0.01,
          hangRate: 0.005,
          malformedRate: 0.025,
          truncatedRate: 0.025,
          wrongTypeRate: 0.025,
          seed: 20261130,
        });
      }
      const received: string[] = [];
      try {
        for (let batch = 0; batch < APPENDED / 5; batch++) feed.append(5);
        while (received.length < APPENDED) {
          const subscription = hub.subscribe(createContext(h.app), conversation, cursor);
          try {
            while (received.length < APPENDED) {
              const next = subscription.next();
              let settled = false;
              next.then(
                () => {
                  settled = true;
                },
                () => {
                  settled = true;
                },
              );
              // Wake the poller until this read is answered; a poll that fails just tries again.
              while (!settled) await hub.wake(source, feed.externalId);
              const edge = (await next).value;
              if (!edge) break;
              received.push(edge.node.externalId);
              cursor = edge.cursor;
            }
          } catch (error) {
            // A read of its own failed: typed, and the client resumes from its last cursor.
            expect(isChatgraphError(error) && VENDOR_FAULT_CODES.has(error.code)).toBe(true);
          } finally {
            await subscription.return?.();
          }
        }
      } finally {
        for (const emulator of h.sandbox.emulators.values()) emulator.setFaults({});
      }
      const faulty = [...h.sandbox.emulators.values()].flatMap((e) => e.calls.recent).filter((c) => c.fault);
      const history = await newest(APPENDED);
      expect(feed.size).toBe(expected + APPENDED);
      expect(received).toEqual(
        history.data?.conversation.messages.edges.map((edge) => edge.node.externalId).toReversed(),
      );
      expect(faulty.length).toBeGreaterThan(0);
    });
  },
);
