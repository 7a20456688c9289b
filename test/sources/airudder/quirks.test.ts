/**
 * AIRUDDER as its document allows, not as our emulator assumed (issue 13): a `size` the vendor caps,
 * the sample's unsorted order, an anchor repeated at the top of the next page, more records than
 * asked for, inverted ranges; and a property suite over every combination of the emulator's quirks,
 * both directions, page sizes 1–100, gateway filters and faults.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../../src/ids.js';
import type { MessageFilter } from '../../../src/model/index.js';
import { matchesFilter } from '../../../src/resolvers/filter.js';
import type { Faults } from '../../../src/sandbox/faults.js';
import type { QuirkSettings } from '../../../src/sandbox/quirks.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import type { AirudderSourceConfig } from '../../../src/sources/airudder/config.js';
import { normalizeAirudderMessage } from '../../../src/sources/airudder/normalize.js';
import {
  AIRUDDER_SAMPLE_SESSION,
  type AirudderWireMessage,
  airudderSampleRecords,
  airudderSandboxSessions,
  generateAirudderSession,
  unsortTimestamps,
} from '../../../src/sources/airudder/sandbox/data.js';
import { airudderEmulator } from '../../../src/sources/airudder/sandbox/emulator.js';
import { airudderQuirks } from '../../../src/sources/airudder/sandbox/quirks.js';
import { AirudderSessionMessage } from '../../../src/sources/airudder/wire.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { fetchPage, walkForward } from '../../helpers/paging.js';
import { HARSH_FAULTS, startQuirkHarness, walkRetrying } from '../../helpers/quirk-harness.js';

const CREDENTIALS = { signKey: 'quirk-sign-key', sign: 'quirk-sign' };
const SOURCE = 'airudder';
const conversationId = (session: string) =>
  encodeNodeId({ kind: 'Conversation', source: SOURCE, conversation: session });
const idsOf = (messages: AirudderWireMessage[]) => messages.map((message) => message.msg_id);
const longIds = idsOf(airudderSandboxSessions().get('sandbox-long') ?? []);

/** A harness on one emulator of our own: its handler, data and quirks. */
async function harnessOn(
  handler: EmulatorHandler,
  http: AirudderSourceConfig['http'] = {},
): Promise<{ h: Harness; emulator: RunningEmulator; close(): Promise<void> }> {
  const emulator = await startEmulator(handler);
  const h = await startHarness({
    vendors: [],
    sources: [
      {
        vendor: 'AIRUDDER',
        name: SOURCE,
        baseUrl: emulator.baseUrl,
        ...CREDENTIALS,
        pageSize: 50,
        http: { retryMinDelayMs: 0, retryMaxDelayMs: 1, breakerFailureThreshold: 10_000, ...http },
      },
    ],
    policy: { maxVendorCalls: 10_000 },
  });
  return {
    h,
    emulator,
    close: async () => {
      await h.close();
      await emulator.close();
    },
  };
}

describe('finding 1: a short page is not the end of a session', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startQuirkHarness('AIRUDDER', { pageCap: '20' });
  });
  afterAll(() => h.close());

  it('walks all 5,200 messages of sandbox-long when the vendor serves 20 of the 50 asked', async () => {
    expect(await walkForward(h, conversationId('sandbox-long'), { sizes: [100] })).toEqual(longIds);
    // 260 pages of 20, then the empty answer that proves the end; each page asked for once.
    expect(h.calls('AIRUDDER').count).toBe(261);
    expect(h.calls('AIRUDDER').recent.at(-1)?.body).toMatchObject({ last_msg_id: longIds.at(-1) });
  });

  it('claims the end of the sample session only after an empty answer', async () => {
    h.calls('AIRUDDER').reset();
    const page = await fetchPage(h, conversationId(AIRUDDER_SAMPLE_SESSION), { first: 30 });
    expect(page.edges.map((edge) => edge.node.externalId)).toEqual(idsOf(airudderSampleRecords()));
    expect(page.pageInfo.hasNextPage).toBe(false);
    const asked = h
      .calls('AIRUDDER')
      .recent.map((call) => (call.body as { last_msg_id: string }).last_msg_id);
    expect(asked).toEqual(['', idsOf(airudderSampleRecords())[17]]);
  });
});

describe('finding 11: the sample is served as the vendor sent it', () => {
  it('in its own order, not sorted by timestamp, and chatgraph lists it in that order', async () => {
    const sample = airudderSampleRecords();
    const times = sample.map((message) => message.timestamp);
    expect(times).not.toEqual([...times].sort((a, b) => b - a));
    const h = await startQuirkHarness('AIRUDDER', {});
    try {
      const page = await fetchPage(h, conversationId(AIRUDDER_SAMPLE_SESSION), { first: 18 });
      expect(page.edges.map((edge) => edge.node.externalId)).toEqual(idsOf(sample));
    } finally {
      await h.close();
    }
  });

  it('unsorted: generated sessions carry timestamps out of order too, and walk whole both ways', async () => {
    const h = await startQuirkHarness('AIRUDDER', { unsorted: '1', pageCap: '33' });
    try {
      const session = unsortTimestamps(
        airudderSandboxSessions().get('sandbox-long') as AirudderWireMessage[],
        20260106,
      );
      const inversions = session.filter(
        (m, i) => i > 0 && m.timestamp > (session[i - 1] as AirudderWireMessage).timestamp,
      );
      expect(inversions.length).toBeGreaterThan(500);
      const id = conversationId('sandbox-long');
      expect((await walkRetrying(h, id, { forward: true, sizes: [97] })).ids).toEqual(longIds);
      // With a time filter the walk must still read past out-of-order messages.
      const since = (session[2_600] as AirudderWireMessage).timestamp;
      const expected = session.filter((m) => m.timestamp >= since).map((m) => m.msg_id);
      const filtered = await walkRetrying(h, id, {
        forward: true,
        sizes: [100],
        filter: { since: new Date(since * 1000).toISOString() },
      });
      expect(filtered.ids).toEqual(expected);
    } finally {
      await h.close();
    }
  });
});

describe('finding 9: more records than asked for are refused', () => {
  it('is VENDOR_BAD_RESPONSE on the page, before a record is read', async () => {
    const sessions = new Map([['s', generateAirudderSession({ seed: 9, count: 300, start: 1_767_225_600 })]]);
    const honest = airudderEmulator({ sessions, credentials: CREDENTIALS });
    // A vendor that ignores `size` and sends the whole session.
    const flood: EmulatorHandler = async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const answer = await honest({ ...request, body: { ...body, size: 50 } });
      const envelope = answer.body as { data: unknown[] };
      return {
        ...answer,
        body: { ...envelope, data: [...envelope.data, ...envelope.data, ...envelope.data] },
      };
    };
    const { h, emulator, close } = await harnessOn(flood);
    try {
      const result = await h.query<unknown>(
        'query ($id: ID!) { conversation(id: $id) { messages(first: 5) { edges { node { externalId } } } } }',
        { id: conversationId('s') },
      );
      expect(result.errors?.[0]).toMatchObject({
        path: ['conversation', 'messages'],
        extensions: { code: 'VENDOR_BAD_RESPONSE' },
      });
      expect(result.errors?.[0]?.message).toBe(
        'Source "airudder" sent 150 session/messages records when 50 were asked for.',
      );
      // Asked again twice, as any unreadable answer is, then refused.
      expect(emulator.calls.count).toBe(3);
    } finally {
      await close();
    }
  });
});

describe('finding 6: ranges that hold nothing', () => {
  // AIRUDDER is not time-ordered, so with both cursors the engine only gives out what it read
  // once the walk has met `before`: an inverted range reads to the oldest message and is empty.
  it('after: c6, before: c3 and after: c5, before: c5 are empty both ways', async () => {
    const h = await startQuirkHarness('AIRUDDER', {});
    try {
      const id = conversationId(AIRUDDER_SAMPLE_SESSION);
      const top = await fetchPage(h, id, { first: 10 });
      const c = (i: number) => top.edges[i]?.cursor as string;
      for (const args of [
        { last: 5, after: c(6), before: c(3) },
        { first: 5, after: c(6), before: c(3) },
        { last: 5, after: c(5), before: c(5) },
        { first: 5, after: c(5), before: c(5) },
      ]) {
        expect((await fetchPage(h, id, args)).edges).toEqual([]);
      }
    } finally {
      await h.close();
    }
  });
});

describe('anchor=inclusive: the last_msg_id message repeated at the top of the next page', () => {
  it('reaches the client once; the walk ends when nothing but the anchor comes back', async () => {
    const h = await startQuirkHarness('AIRUDDER', { anchor: 'inclusive', pageCap: '2' });
    try {
      expect(await walkForward(h, conversationId(AIRUDDER_SAMPLE_SESSION), { sizes: [1, 4, 7] })).toEqual(
        idsOf(airudderSampleRecords()),
      );
    } finally {
      await h.close();
    }
  });

  it('a page cap of 1 with it is refused at start: such a vendor could never show an older message', async () => {
    await expect(startQuirkHarness('AIRUDDER', { anchor: 'inclusive', pageCap: '1' })).rejects.toThrow(
      /Bad quirk for airudder: pageCap: anchor=inclusive needs pageCap of at least 2/,
    );
  });
});

/** Every combination of the quirks with few values; `pageCap` is drawn per run. */
const COMBINATIONS = [false, true].flatMap((unsorted) =>
  (['exclusive', 'inclusive'] as const).map((anchor) => ({ unsorted, anchor })),
);

/** Faults on every vendor call; a mistyped field read leniently changes what a filter sees: only unfiltered. */
const faultsFor = (seed: number, filter: MessageFilter): Faults => ({
  errorRate: 0.05,
  rateLimitRate: 0.03,
  retryAfterSeconds: 0.001,
  malformedRate: 0.03,
  truncatedRate: 0.03,
  wrongTypeRate: filterInput(filter) === undefined ? 0.03 : 0,
  seed,
});

const FILTERS: Array<MessageFilter & { label: string }> = [
  { label: 'none' },
  { label: 'customer', senderRoles: ['CUSTOMER'] },
  { label: 'bot text', senderRoles: ['BOT'], kinds: ['TEXT'] },
  { label: 'text', text: 'ok' },
  { label: 'time', since: 1_767_226_000_000, until: 1_767_227_000_000 },
];

/** The GraphQL form of a model filter. */
function filterInput(filter: MessageFilter): Record<string, unknown> | undefined {
  const { since, until, ...rest } = filter;
  const out: Record<string, unknown> = { ...rest };
  delete out.label;
  if (since !== undefined) out.since = new Date(since).toISOString();
  if (until !== undefined) out.until = new Date(until).toISOString();
  return Object.keys(out).length > 0 ? out : undefined;
}

function expectedIds(session: AirudderWireMessage[], filter: MessageFilter): string[] {
  return session
    .map((raw) =>
      normalizeAirudderMessage(AirudderSessionMessage.parse(raw), raw, {
        source: SOURCE,
        conversation: 's',
        warn: () => {},
      }),
    )
    .filter((message) => matchesFilter(message, filter))
    .map((message) => message.externalId);
}

describe('AIRUDDER under every combination of its quirks', () => {
  it('a walk delivers exactly the vendor messages once each in list order, or fails a page with a typed error', {
    timeout: 240_000,
  }, async () => {
    let faultyCalls = 0;
    for (const [index, combination] of COMBINATIONS.entries()) {
      await fc.assert(
        fc.asyncProperty(
          // 1 with an inclusive anchor is refused at start (see above).
          fc.option(fc.integer({ min: combination.anchor === 'inclusive' ? 2 : 1, max: 50 }), {
            nil: undefined,
          }),
          fc.integer({ min: 0, max: 120 }),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(...FILTERS),
          fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
          async (pageCap, count, forward, sizes, filter, faultSeed) => {
            const generated = generateAirudderSession({ seed: count + 1, count, start: 1_767_225_600 });
            const session = combination.unsorted ? unsortTimestamps(generated, count) : generated;
            const raw: QuirkSettings = {
              unsorted: combination.unsorted ? '1' : '0',
              anchor: combination.anchor,
            };
            if (pageCap !== undefined) raw.pageCap = String(pageCap);
            const handler = airudderEmulator({
              sessions: new Map([['s', session]]),
              credentials: CREDENTIALS,
              quirks: airudderQuirks.parse(raw),
            });
            const { h, emulator, close } = await harnessOn(handler);
            try {
              if (faultSeed !== undefined) emulator.setFaults(faultsFor(faultSeed, filter));
              const walk = await walkRetrying(h, conversationId('s'), {
                forward,
                sizes,
                filter: filterInput(filter),
              });
              expect(walk.ids).toEqual(expectedIds(session, filter));
              const calls = emulator.calls.recent;
              faultyCalls += calls.filter((call) => call.fault !== undefined).length;
              if (forward) {
                // The end was proven: the vendor was asked past the oldest message and said nothing more.
                const oldest = session.at(-1)?.msg_id ?? '';
                expect(
                  calls.some(
                    (call) =>
                      call.fault === undefined &&
                      (call.body as { last_msg_id: string }).last_msg_id === oldest,
                  ),
                ).toBe(true);
              }
            } finally {
              await close();
            }
          },
        ),
        { numRuns: 15, seed: 1313 + index },
      );
    }
    expect(faultyCalls).toBeGreaterThan(0);
  });
});

describe('sandbox-long under the harshest quirks, with faults', () => {
  it('delivers every message exactly once, both ways, a failed page retried', {
    timeout: 240_000,
  }, async () => {
    const faults = HARSH_FAULTS;
    const h = await startQuirkHarness(
      'AIRUDDER',
      { pageCap: '20', unsorted: '1', anchor: 'inclusive' },
      { faults },
    );
    try {
      const expected = idsOf(unsortTimestamps(airudderSandboxSessions().get('sandbox-long') ?? [], 20260106));
      const id = conversationId('sandbox-long');
      const older = await walkRetrying(h, id, { forward: true, sizes: [100] });
      expect(older.ids).toEqual(expected);
      const newer = await walkRetrying(h, id, { forward: false, sizes: [100] });
      expect(newer.ids).toEqual(expected);
      expect(h.calls('AIRUDDER').recent.some((call) => call.fault !== undefined)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
