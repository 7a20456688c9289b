/**
 * `npm run bench:store`: the store on SQLite at scale. Generates conversations and messages
 * straight into a fresh store file (prepared statements in one transaction per batch: the
 * generator is not what is measured), then measures:
 * - listing: `Store.listConversations` pages (first page, a source, a participant, deep cursor);
 * - search: trigram-indexed queries (3+ characters) and the short-query scan (2 characters);
 * - ingest: messages per second through the live path (`Recorder` → `Store.record`), in batches
 *   as reads and the live feed hand them over.
 *
 *   npx tsx scripts/bench/store.ts --conversations 100000 --messages 5000000 [--file f] [--keep]
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { silentLogger } from '../../src/logger.js';
import type { Message } from '../../src/model/index.js';
import { VENDORS as DEFINITIONS } from '../../src/sources/index.js';
import { Recorder } from '../../src/store/recorder.js';
import { registerShortTerms, SHORT_TERMS_FUNCTION } from '../../src/store/short-terms.js';
import { Store, seqOf } from '../../src/store/store.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '5000000' },
    ingest: { type: 'string', default: '200000' },
    runs: { type: 'string', default: '200' },
    file: { type: 'string' },
    keep: { type: 'boolean' },
    /** With --file: measure an existing store instead of generating one. */
    reuse: { type: 'boolean' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const MESSAGES = Number(values.messages);
const INGEST = Number(values.ingest);
const RUNS = Number(values.runs);
const SOURCES = ['shop', 'bot', 'im', 'scrm'];
/** One generated source per registered vendor (the first four), labelled with its id. */
const VENDORS = DEFINITIONS.map((definition) => definition.id);
const T0 = Date.UTC(2025, 0, 1);
const SPAN = 300 * 86_400_000;

const PHRASES = [
  '您好，请问有什么可以帮您',
  '我要退款，订单还没发货',
  '退款已经处理，请留意到账',
  '这个商品什么时候发货',
  '麻烦提供一下订单号',
  '好的，谢谢',
  'Hello, where is my parcel?',
  'Refund please, it arrived broken',
  'We have arranged a replacement for you',
  '请问店铺地址在哪里',
  '已为您安排安装师傅上门',
  'Thanks, have a nice day',
];

/** A deterministic PRNG (mulberry32): the same store on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function measure(
  label: string,
  run: (i: number) => Promise<unknown>,
  runs = RUNS,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < Math.min(10, runs); i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const row = {
    label,
    p50: percentile(times, 50).toFixed(2),
    p99: percentile(times, 99).toFixed(2),
    max: (times.at(-1) as number).toFixed(2),
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main() {
  const dir = values.file ? null : mkdtempSync(join(tmpdir(), 'chatgraph-bench-store-'));
  const file = values.file ?? join(dir as string, 'store.db');
  const config = { engine: 'sqlite' as const, path: file, sources: {} };
  if (!values.reuse) await generate(file, config);
  await measureAll(config);
  if (dir && !values.keep) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${file}`);
}

async function generate(file: string, config: Parameters<typeof Store.open>[0]): Promise<void> {
  const store = await Store.open(config);
  await store.close();

  // Generate: conversations, then messages spread over them, newest last.
  const rnd = random(17);
  const db = new SQLite(file);
  registerShortTerms(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const started = performance.now();
  // The full-text indexes are built once at the end, not row by row through their triggers: the
  // same indexes, several times faster to generate. The triggers are put back as migrated.
  const triggers = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages'")
    .all() as Array<{ name: string; sql: string }>;
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  const insertConversation = db.prepare(
    'INSERT INTO conversations (source, external_id, vendor, title, last_activity_at, last_message_id, preview, flagged, first_seen_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)',
  );
  const insertParticipant = db.prepare(
    'INSERT OR IGNORE INTO participants (source, conversation, name) VALUES (?, ?, ?)',
  );
  const insertMessage = db.prepare(
    'INSERT OR IGNORE INTO messages (seq, source, conversation, external_id, sent_at, kind, sender_role, sender_name, text, body, raw, media_expires_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
  );
  const perConversation = Math.max(1, Math.floor(MESSAGES / CONVERSATIONS));
  const batch = db.transaction((from: number, to: number) => {
    for (let c = from; c < to; c++) {
      const s = c % SOURCES.length;
      const source = SOURCES[s] as string;
      const conversation = `conv-${c}`;
      const last = T0 + Math.floor(rnd() * SPAN);
      const customer = `客户${c % 5000}`;
      for (let m = 0; m < perConversation; m++) {
        const sentAt = last - (perConversation - 1 - m) * 60_000;
        const text =
          `${PHRASES[Math.floor(rnd() * PHRASES.length)]} ${c % 1000 === 0 && m === 0 ? 'zyxwq 罕见词' : ''}`.trim();
        const externalId = `${c}-${m}`;
        const role = m % 2 === 0 ? 'CUSTOMER' : 'AGENT';
        const body = JSON.stringify({
          vendor: VENDORS[s],
          source,
          conversation,
          externalId,
          sentAt,
          sender: {
            role,
            externalId: null,
            displayName: role === 'CUSTOMER' ? customer : '坐席',
            avatarUrl: null,
          },
          kind: 'TEXT',
          text,
          recalled: false,
          content: { __typename: 'TextContent', text },
        });
        insertMessage.run(
          seqOf({ source, conversation, externalId, sentAt }),
          source,
          conversation,
          externalId,
          sentAt,
          'TEXT',
          role,
          customer,
          text,
          body,
          JSON.stringify({ id: externalId, content: text }),
          sentAt,
        );
      }
      insertConversation.run(
        source,
        conversation,
        VENDORS[s],
        last,
        `${c}-${perConversation - 1}`,
        PHRASES[c % PHRASES.length],
        c % 50 === 0 ? 1 : 0,
        last,
      );
      insertParticipant.run(source, conversation, customer);
      insertParticipant.run(source, conversation, '坐席');
    }
  });
  const STEP = 1_000;
  for (let c = 0; c < CONVERSATIONS; c += STEP) {
    batch(c, Math.min(CONVERSATIONS, c + STEP));
    if ((c / STEP) % 10 === 0) process.stderr.write(`\rgenerated ${c} conversations`);
  }
  process.stderr.write('\rindexing the text of every message\n');
  db.exec("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')");
  db.exec(`INSERT INTO messages_short(rowid, terms) SELECT seq, ${SHORT_TERMS_FUNCTION}(text) FROM messages`);
  for (const { sql } of triggers) db.exec(sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const generateSeconds = (performance.now() - started) / 1000;
  const total = perConversation * CONVERSATIONS;
  console.log(
    JSON.stringify({
      generated: {
        conversations: CONVERSATIONS,
        messages: total,
        seconds: generateSeconds.toFixed(1),
        rowsPerSecond: Math.round(total / generateSeconds),
        fileMB: Math.round(statSync(file).size / 1e6),
      },
    }),
  );
}

async function measureAll(config: Parameters<typeof Store.open>[0]): Promise<void> {
  const reopened = await Store.open(config);
  const all = { sources: SOURCES };
  const first = await reopened.listConversations(all, {
    direction: 'older',
    from: null,
    stopAt: null,
    limit: 21,
  });
  const deep = first[20] as NonNullable<(typeof first)[number]>;
  const rows: Array<Record<string, unknown>> = [];
  const page = (
    filter: Parameters<Store['listConversations']>[0],
    from: { t: number; source: string; externalId: string } | null = null,
  ) => reopened.listConversations(filter, { direction: 'older', from, stopAt: null, limit: 21 });
  rows.push(await measure('list: first page of 20', () => page(all)));
  rows.push(
    await measure('list: page after a cursor', () =>
      page(all, { t: deep.lastActivityAt, source: deep.source, externalId: deep.externalId }),
    ),
  );
  rows.push(
    await measure('list: last page (last: 20)', () =>
      reopened.listConversations(all, { direction: 'newer', from: null, stopAt: null, limit: 21 }),
    ),
  );
  rows.push(await measure('list: one source', () => page({ sources: ['bot'] })));
  rows.push(await measure('list: flagged', () => page({ sources: SOURCES, flagged: true })));
  rows.push(
    await measure('list: participant (rotating)', (i) =>
      page({ sources: SOURCES, participant: `客户${i % 5000}` }),
    ),
  );
  rows.push(
    await measure('list: activity window', () =>
      page({ sources: SOURCES, activeSince: T0 + SPAN / 2, activeUntil: T0 + SPAN / 2 + 86_400_000 }),
    ),
  );
  /** A client's first page of 20 hits (and the one more that says whether there are others). */
  const FIRST_PAGE = { direction: 'older', from: null, stopAt: null, limit: 21 } as const;
  const search = (query: string) => () => reopened.search(query, { sources: SOURCES }, FIRST_PAGE);
  rows.push(await measure('search: "退款" (2 chars, short-term index)', search('退款')));
  rows.push(await measure('search: "退" (1 char, short-term index)', search('退')));
  rows.push(await measure('search: "退款已经处理" (trigram)', search('退款已经处理')));
  rows.push(await measure('search: "refund" (trigram)', search('refund')));
  rows.push(await measure('search: "zyxwq" (rare, trigram)', search('zyxwq')));
  rows.push(await measure('search: "罕见" (rare, 2 chars, short-term index)', search('罕见')));
  rows.push(
    await measure('search: "罕见" (rare, 2 chars) in the last 30 days', () =>
      reopened.search('罕见', { sources: SOURCES, since: T0 + SPAN - 30 * 86_400_000 }, FIRST_PAGE),
    ),
  );
  rows.push(
    await measure('search: "退款" in one source since a date', () =>
      reopened.search('退款', { sources: ['bot'], since: T0 + SPAN / 2 }, FIRST_PAGE),
    ),
  );

  // Ingest through the live path: the recorder's batches into Store.record.
  const recorder = new Recorder(reopened, silentLogger(), { batchSize: 1_000 });
  // New ids on every run, so a reused store ingests as many new messages as a fresh one.
  const run = Date.now().toString(36);
  const ingestStart = performance.now();
  const liveBatch = 100;
  for (let i = 0; i < INGEST; i += liveBatch) {
    const messages: Message[] = [];
    for (let j = i; j < Math.min(INGEST, i + liveBatch); j++) {
      const conversation = `live-${j % 5000}`;
      const text = PHRASES[j % PHRASES.length] as string;
      messages.push({
        vendor: 'MYSCRM',
        source: 'scrm',
        conversation,
        externalId: `live-${run}-${j}`,
        sentAt: T0 + SPAN + j,
        sender: {
          role: 'CUSTOMER',
          externalId: `u${j % 5000}`,
          displayName: `客户${j % 5000}`,
          avatarUrl: null,
        },
        kind: 'TEXT',
        text,
        recalled: false,
        content: { __typename: 'TextContent', text } as Message['content'],
        raw: { msgid: `live-${run}-${j}`, content: text },
      });
    }
    recorder.seen(messages, true);
    // Let the recorder's write run, as a server's event loop would between requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await recorder.flush();
  const ingestSeconds = (performance.now() - ingestStart) / 1000;
  console.log(
    JSON.stringify({
      ingest: {
        messages: INGEST,
        seconds: ingestSeconds.toFixed(2),
        messagesPerSecond: Math.round(INGEST / ingestSeconds),
        dropped: recorder.dropped,
        failures: recorder.failures,
      },
    }),
  );
  await reopened.close();
}

await main();
