/**
 * myscrm as its document allows, not as our emulator assumed (issue 13): roles only the vendor
 * knows, times in seconds, records repeated out of order, capped pages, more records than asked
 * for, the emotion and action fields; and a property suite over every combination of the
 * emulator's quirks, both directions, page sizes 1–100, filters and faults.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNodeId } from '../../../src/ids.js';
import type { MessageFilter } from '../../../src/model/index.js';
import { matchesFilter } from '../../../src/resolvers/filter.js';
import type { Faults } from '../../../src/sandbox/faults.js';
import type { QuirkSettings } from '../../../src/sandbox/quirks.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { normalizeMyscrmMessage } from '../../../src/sources/myscrm/normalize.js';
import {
  generateMyscrmChat,
  MYSCRM_LONG_CHAT,
  MYSCRM_SAMPLE_CHAT,
  type MyscrmWireRecord,
  myscrmSandboxChats,
  myscrmSenderType,
  withTimeQuirks,
} from '../../../src/sources/myscrm/sandbox/data.js';
import { myscrmEmulator, myscrmSearchText } from '../../../src/sources/myscrm/sandbox/emulator.js';
import { type MyscrmQuirks, myscrmQuirks } from '../../../src/sources/myscrm/sandbox/quirks.js';
import { MyscrmChatRecord } from '../../../src/sources/myscrm/wire.js';
import { type Harness, startHarness } from '../../helpers/harness.js';
import { walkForward } from '../../helpers/paging.js';
import { HARSH_FAULTS, startQuirkHarness, walkRetrying } from '../../helpers/quirk-harness.js';

const SOURCE = 'myscrm';
const APP_ID = 'quirk-app';
const TOKEN = 'quirk-token-value';
const conversationId = (chat: string) =>
  encodeNodeId({ kind: 'Conversation', source: SOURCE, conversation: chat });
const LONG = myscrmSandboxChats().get(MYSCRM_LONG_CHAT) as MyscrmWireRecord[];
const SAMPLE_ID = '3a0c793e-042b-228c-699d-7a5d84b41611';

/** A harness on one emulator of our own: its handler, data and quirks. */
async function harnessOn(
  handler: EmulatorHandler,
): Promise<{ h: Harness; emulator: RunningEmulator; close(): Promise<void> }> {
  const emulator = await startEmulator(handler);
  const h = await startHarness({
    vendors: [],
    sources: [
      {
        vendor: 'MYSCRM',
        name: SOURCE,
        baseUrl: emulator.baseUrl,
        appId: APP_ID,
        auth: { header: 'Authorization', scheme: 'Bearer', token: TOKEN },
        pageSize: 100,
        http: { retryMinDelayMs: 0, retryMaxDelayMs: 1, breakerFailureThreshold: 10_000 },
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

const emulatorFor = (
  chats: Map<string, MyscrmWireRecord[]>,
  extra: Partial<Parameters<typeof myscrmEmulator>[0]> = {},
) =>
  myscrmEmulator({
    chats,
    appId: APP_ID,
    auth: { header: 'authorization', value: `Bearer ${TOKEN}` },
    ...extra,
  });

const ROLES = `query ($id: ID!, $filter: MessageFilter) {
  conversation(id: $id) { messages(first: 10, filter: $filter) { edges { node { externalId sender { role } } } } }
}`;

describe('finding 2: sender roles are what the vendor says through sender_type', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startQuirkHarness('MYSCRM', {});
  });
  afterAll(() => h.close());

  it("the sample's greeting is the agent's, and filtering on AGENT finds it through sender_type=1", async () => {
    const all = await h.query<unknown>(ROLES, { id: conversationId(MYSCRM_SAMPLE_CHAT) });
    expect(all).toEqual({
      data: {
        conversation: {
          messages: { edges: [{ node: { externalId: SAMPLE_ID, sender: { role: 'AGENT' } } }] },
        },
      },
    });
    h.calls('MYSCRM').reset();
    const agents = await h.query<unknown>(ROLES, {
      id: conversationId(MYSCRM_SAMPLE_CHAT),
      filter: { senderRoles: ['AGENT'] },
    });
    expect(agents).toEqual(all);
    const asked = h
      .calls('MYSCRM')
      .recent.map((call) => new URL(call.path, 'http://x').searchParams.get('sender_type'));
    expect(asked).toEqual(['1']);
    const customers = await h.query<unknown>(ROLES, {
      id: conversationId(MYSCRM_SAMPLE_CHAT),
      filter: { senderRoles: ['CUSTOMER'] },
    });
    expect(customers).toEqual({ data: { conversation: { messages: { edges: [] } } } });
  });

  it('every sender of sandbox-long has the role the vendor knows, though all ids look alike', async () => {
    const ids = await walkForward(h, conversationId(MYSCRM_LONG_CHAT), { sizes: [100] });
    expect(ids).toHaveLength(LONG.length);
    const result = await h.query<{
      conversation: {
        messages: { edges: Array<{ node: { externalId: string; sender: { role: string } } }> };
      };
    }>(ROLES.replace('first: 10', 'first: 100'), { id: conversationId(MYSCRM_LONG_CHAT) });
    const byId = new Map(LONG.map((record) => [record.chat_record_id, record]));
    const edges = result.data?.conversation.messages.edges ?? [];
    expect(edges).toHaveLength(100);
    for (const { node } of edges) {
      const truth = myscrmSenderType((byId.get(node.externalId) as MyscrmWireRecord).sender_id);
      expect(node.sender.role).toBe(truth === 1 ? 'AGENT' : 'CUSTOMER');
    }
  });
});

describe('finding 3: times in seconds and records repeated out of order', () => {
  it('seconds=all: a walk of sandbox-long delivers all 5,300 records once, in order', async () => {
    const h = await startQuirkHarness('MYSCRM', { seconds: 'all' });
    try {
      const expected = withTimeQuirks(LONG, { seconds: 'all', ties: 0 })
        .records.map((record) => record.chat_record_id)
        .reverse();
      const id = conversationId(MYSCRM_LONG_CHAT);
      expect(await walkForward(h, id, { sizes: [100] })).toEqual(expected);
      expect((await walkRetrying(h, id, { forward: false, sizes: [100] })).ids).toEqual(expected);
    } finally {
      await h.close();
    }
  });

  it('seconds=some: each record is read in its own unit; sentAt is the same instant either way', async () => {
    const h = await startQuirkHarness('MYSCRM', { seconds: 'some' });
    try {
      const kept = withTimeQuirks(LONG, { seconds: 'some', ties: 0 }).records;
      const result = await h.query<{
        conversation: { messages: { edges: Array<{ node: { externalId: string; sentAt: string } }> } };
      }>(
        'query ($id: ID!) { conversation(id: $id) { messages(last: 6) { edges { node { externalId sentAt } } } } }',
        { id: conversationId(MYSCRM_LONG_CHAT) },
      );
      expect(result.data?.conversation.messages.edges.map((edge) => edge.node)).toEqual(
        kept
          .slice(0, 6)
          .reverse()
          .map((record) => ({
            externalId: record.chat_record_id,
            sentAt: new Date(record.send_time).toISOString(),
          })),
      );
    } finally {
      await h.close();
    }
  });

  it('a record the vendor repeats on every page, out of order and outside the window, reaches the client once', async () => {
    const chat = generateMyscrmChat({ chatId: 'c', seed: 3, count: 300, start: Date.UTC(2026, 0, 1) });
    const honest = emulatorFor(new Map([['c', chat]]));
    const newest = chat.at(-1) as MyscrmWireRecord;
    // Asks the vendor for one record fewer and adds the chat's newest to the answer.
    const stale: EmulatorHandler = async (request) => {
      const url = new URL(request.url);
      const size = Number(url.searchParams.get('page_size'));
      if (size > 1) url.searchParams.set('page_size', String(size - 1));
      const answer = await honest({ ...request, url });
      const body = answer.body as { list: MyscrmWireRecord[] };
      return size > 1 && body.list.length > 0
        ? { ...answer, body: { ...body, list: [...body.list, newest] } }
        : answer;
    };
    const { h, close } = await harnessOn(stale);
    try {
      const ids = await walkForward(h, conversationId('c'), { sizes: [20] });
      expect(ids.filter((id) => id === newest.chat_record_id)).toHaveLength(1);
      expect(ids).toEqual(chat.map((record) => record.chat_record_id).reverse());
    } finally {
      await close();
    }
  });

  it('repeat: records repeated across pages of one query reach the client once, both ways', async () => {
    const h = await startQuirkHarness('MYSCRM', { repeat: '1', pageCap: '30' });
    try {
      const expected = LONG.map((record) => record.chat_record_id).reverse();
      const id = conversationId(MYSCRM_LONG_CHAT);
      expect(await walkForward(h, id, { sizes: [100, 37] })).toEqual(expected);
      expect((await walkRetrying(h, id, { forward: false, sizes: [100] })).ids).toEqual(expected);
    } finally {
      await h.close();
    }
  });
});

describe('finding 9: more records than asked for are refused', () => {
  it('is VENDOR_BAD_RESPONSE on the page', async () => {
    const honest = emulatorFor(new Map([['c', LONG]]));
    const flood: EmulatorHandler = async (request) => {
      const answer = await honest(request);
      const body = answer.body as { list: MyscrmWireRecord[] };
      return { ...answer, body: { ...body, list: [...body.list, ...body.list] } };
    };
    const { h, close } = await harnessOn(flood);
    try {
      const result = await h.query<unknown>(
        'query ($id: ID!) { conversation(id: $id) { messages(first: 5) { edges { node { externalId } } } } }',
        { id: conversationId('c') },
      );
      expect(result.errors?.[0]).toMatchObject({
        message: 'Source "myscrm" sent 12 chat-record/pull records when 6 were asked for.',
        path: ['conversation', 'messages'],
        extensions: { code: 'VENDOR_BAD_RESPONSE' },
      });
    } finally {
      await close();
    }
  });
});

describe('finding 8: emotion format and size, and action', () => {
  it('are on every sticker message of sandbox-long', async () => {
    const h = await startQuirkHarness('MYSCRM', {});
    try {
      const result = await h.query<{
        conversation: {
          messages: { edges: Array<{ node: { externalId: string; action: string; sticker: unknown } }> };
        };
      }>(
        `query ($id: ID!) { conversation(id: $id) { messages(first: 30, filter: { kinds: [STICKER] }) {
          edges { node { externalId ... on MyscrmMessage { action sticker { format formatCode sizeBytes } } } } } } }`,
        { id: conversationId(MYSCRM_LONG_CHAT) },
      );
      const edges = result.data?.conversation.messages.edges ?? [];
      expect(edges).toHaveLength(30);
      const byId = new Map(LONG.map((record) => [record.chat_record_id, record]));
      for (const { node } of edges) {
        const emotion = (byId.get(node.externalId) as MyscrmWireRecord).emotion as {
          type: number;
          size: number;
        };
        expect(node).toMatchObject({
          action: 'send',
          sticker: {
            format: emotion.type === 1 ? 'GIF' : 'PNG',
            formatCode: emotion.type,
            sizeBytes: emotion.size,
          },
        });
      }
    } finally {
      await h.close();
    }
  });
});

/** Every combination of the quirks with few values; `pageCap` is drawn per run. */
const COMBINATIONS = (['off', 'some', 'all'] as const).flatMap((seconds) =>
  [0, 1_000, 600_000].flatMap((ties) =>
    [0, 1, 3].flatMap((repeat) =>
      (['text', 'words'] as const).flatMap((keywordIn) =>
        (['insensitive', 'sensitive'] as const).map((keywordCase) => ({
          seconds,
          ties,
          repeat,
          keywordIn,
          keywordCase,
        })),
      ),
    ),
  ),
);

const FILTERS: MessageFilter[] = [
  {},
  { senderRoles: ['AGENT'] },
  { senderRoles: ['CUSTOMER'] },
  { senderRoles: ['AGENT', 'UNKNOWN'] },
  { kinds: ['TEXT'] },
  { kinds: ['CARD', 'LINK'] },
  { text: 'Refund' },
  { text: '保证', senderRoles: ['AGENT'] },
  { since: Date.UTC(2026, 0, 2), until: Date.UTC(2026, 0, 4) },
];

/** The GraphQL form of a model filter. */
function filterInput(filter: MessageFilter): Record<string, unknown> | undefined {
  const { since, until, ...rest } = filter;
  const out: Record<string, unknown> = { ...rest };
  if (since !== undefined) out.since = new Date(since).toISOString();
  if (until !== undefined) out.until = new Date(until).toISOString();
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Newest first, the records the vendor holds that match `filter` by its own truth. */
function expectedIds(records: MyscrmWireRecord[], filter: MessageFilter, quirks: MyscrmQuirks): string[] {
  const { text, ...rest } = filter;
  const fold = (value: string) => (quirks.keywordCase === 'insensitive' ? value.toLowerCase() : value);
  return records
    .filter(
      (record) =>
        text === undefined || fold(myscrmSearchText(record, quirks.keywordIn) ?? '').includes(fold(text)),
    )
    .map((record) => {
      const message = normalizeMyscrmMessage(MyscrmChatRecord.parse(record), record, {
        source: SOURCE,
        conversation: 'c',
        fetchedAt: 0,
        warn: () => {},
        senderRole: myscrmSenderType(record.sender_id) === 1 ? 'AGENT' : 'CUSTOMER',
      });
      return message;
    })
    .filter((message) => matchesFilter(message, rest))
    .reverse()
    .map((message) => message.externalId);
}

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

describe('myscrm under every combination of its quirks', () => {
  it('a walk delivers exactly the vendor records once each in list order, or fails a page with a typed error', {
    timeout: 240_000,
  }, async () => {
    let faultyCalls = 0;
    expect(COMBINATIONS).toHaveLength(108);
    for (const [index, combination] of COMBINATIONS.entries()) {
      await fc.assert(
        fc.asyncProperty(
          fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
          fc.integer({ min: 0, max: 250 }),
          fc.boolean(),
          fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
          fc.constantFrom(...FILTERS),
          fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
          async (pageCap, count, forward, sizes, filter, faultSeed) => {
            const raw: QuirkSettings = {
              repeat: String(combination.repeat),
              seconds: combination.seconds,
              ties: String(combination.ties),
              keywordIn: combination.keywordIn,
              keywordCase: combination.keywordCase,
            };
            if (pageCap !== undefined) raw.pageCap = String(pageCap);
            const quirks = myscrmQuirks.parse(raw);
            const generated = generateMyscrmChat({
              chatId: 'c',
              seed: count + 7,
              count,
              start: Date.UTC(2026, 0, 1),
            });
            const kept = withTimeQuirks(generated, quirks);
            const { h, emulator, close } = await harnessOn(
              emulatorFor(new Map([['c', kept.records]]), { quirks, inSeconds: kept.inSeconds }),
            );
            try {
              if (faultSeed !== undefined) emulator.setFaults(faultsFor(faultSeed, filter));
              const walk = await walkRetrying(h, conversationId('c'), {
                forward,
                sizes,
                filter: filterInput(filter),
              });
              expect(walk.ids).toEqual(expectedIds(kept.records, filter, quirks));
              faultyCalls += emulator.calls.recent.filter((call) => call.fault !== undefined).length;
            } finally {
              await close();
            }
          },
        ),
        { numRuns: 1, seed: 1313 + index },
      );
    }
    expect(faultyCalls).toBeGreaterThan(0);
  });
});

describe('sandbox-long under the harshest quirks, with faults', () => {
  it('delivers every record exactly once, both ways, a failed page retried', {
    timeout: 240_000,
  }, async () => {
    const faults = HARSH_FAULTS;
    const quirks = { pageCap: '7', repeat: '1', seconds: 'some', ties: '600000' };
    const h = await startQuirkHarness('MYSCRM', quirks, { faults });
    try {
      const expected = withTimeQuirks(LONG, myscrmQuirks.parse(quirks))
        .records.map((record) => record.chat_record_id)
        .reverse();
      const id = conversationId(MYSCRM_LONG_CHAT);
      expect((await walkRetrying(h, id, { forward: true, sizes: [100] })).ids).toEqual(expected);
      expect((await walkRetrying(h, id, { forward: false, sizes: [100] })).ids).toEqual(expected);
      expect(h.calls('MYSCRM').recent.some((call) => call.fault !== undefined)).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('quirk values', () => {
  it('are read as CHATGRAPH_SANDBOX_QUIRKS writes them, and refused when out of range', async () => {
    expect(
      myscrmQuirks.parse({ pageCap: '30', repeat: '2', seconds: 'some', ties: '1000', keywordIn: 'words' }),
    ).toEqual({
      pageCap: 30,
      repeat: 2,
      seconds: 'some',
      ties: 1_000,
      keywordIn: 'words',
      keywordCase: 'insensitive',
    });
    for (const [quirk, value] of [
      ['pageCap', '0'],
      ['pageCap', '101'],
      ['seconds', 'ms'],
      ['ties', '-1'],
      ['keywordIn', 'all'],
    ]) {
      await expect(startQuirkHarness('MYSCRM', { [quirk as string]: value as string })).rejects.toThrow(
        `Bad quirk for myscrm: ${quirk}:`,
      );
    }
  });
});
