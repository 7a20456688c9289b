/**
 * What reading one AIRUDDER page costs, step by step: the JSON text parsed, the envelope and its
 * records read (zod alone, or the fast path with zod behind it), and the records normalized. The
 * page is the bench's: `sandbox-long`'s newest 50, in the emulator's envelope. Not a test (no
 * timing in tests): `npx tsx scripts/bench/wire-airudder.ts [--pages N] [--runs N]`.
 */
import { parseArgs } from 'node:util';
import { parseWire } from '../../src/normalize/wire.js';
import {
  readAirudderSessionMessage,
  readAirudderSessionMessagesResponse,
} from '../../src/sources/airudder/fast-wire.js';
import { normalizeAirudderMessage } from '../../src/sources/airudder/normalize.js';
import { airudderSandboxSessions } from '../../src/sources/airudder/sandbox/data.js';
import { AirudderSessionMessage, AirudderSessionMessagesResponse } from '../../src/sources/airudder/wire.js';

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '4000' }, runs: { type: 'string', default: '7' } },
});
const pages = Number(values.pages);
const runs = Number(values.runs);

const messages = airudderSandboxSessions().get('sandbox-long')?.slice(0, 50) ?? [];
const text = JSON.stringify({ request_id: '0'.repeat(32), code: 200, message: 'Success', data: messages });
const ctx = { source: 'airudder-bench', conversation: 'sandbox-long', warn: () => {} };

type Read = (body: unknown) => Array<{ record: AirudderSessionMessage; raw: unknown }>;

const zodOnly: Read = (body) => {
  const response = parseWire(AirudderSessionMessagesResponse, body, ctx.source, 'session/messages');
  return (response.data ?? []).map((raw, i) => ({
    record: parseWire(AirudderSessionMessage, raw, ctx.source, `record ${i}`),
    raw,
  }));
};
const fast: Read = (body) => {
  const response = readAirudderSessionMessagesResponse(body, ctx.source);
  return (response.data ?? []).map((raw, i) => ({
    record: readAirudderSessionMessage(raw, ctx.source, i),
    raw,
  }));
};

const bodies = Array.from({ length: 16 }, () => JSON.parse(text) as unknown);
let sink = 0;

/** µs per page of `step`, median of `runs` runs of `pages` pages each. */
function measure(step: (i: number) => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < pages; i++) step(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e3 / pages);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const rows: Array<[string, number]> = [];
const run = (name: string, step: (i: number) => void) => {
  measure(step); // warm-up
  rows.push([name, measure(step)]);
};

const readOnce = (read: Read) => (i: number) => {
  sink += read(bodies[i % bodies.length]).length;
};
const readAndNormalize = (read: Read) => (i: number) => {
  for (const { record, raw } of read(bodies[i % bodies.length])) {
    sink += normalizeAirudderMessage(record, raw, ctx).sentAt;
  }
};
const zodRecords = zodOnly(bodies[0]);
run('JSON.parse', () => {
  sink += (JSON.parse(text) as { data: unknown[] }).data.length;
});
run('wire, zod only', readOnce(zodOnly));
run('wire, fast path', readOnce(fast));
run('normalize only', () => {
  for (const { record, raw } of zodRecords) sink += normalizeAirudderMessage(record, raw, ctx).sentAt;
});
run('wire + normalize, zod only', readAndNormalize(zodOnly));
run('wire + normalize, fast path', readAndNormalize(fast));

console.log(
  `AIRUDDER sandbox-long, page of ${messages.length} (${text.length} chars), ${pages} pages × ${runs} runs`,
);
for (const [name, us] of rows) console.log(`${name.padEnd(30)} ${us.toFixed(1).padStart(8)} µs/page`);
if (sink === 0) console.log('(nothing read)');
