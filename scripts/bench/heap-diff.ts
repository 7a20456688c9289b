/**
 * What grew between two V8 heap snapshots, by constructor (or function, for closures), per unit:
 * the tool behind BENCHMARKS.md's "where an idle subscriber's heap goes".
 *
 *   tsx scripts/bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [--per 1000] [--top 40]
 *
 * Counts and self sizes only (not retained sizes): each row is what one kind of object adds.
 * Reads the whole snapshot into memory: snapshots of a few hundred MB need `--max-old-space-size`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { per: { type: 'string' }, top: { type: 'string' } },
});
const [beforePath, afterPath] = positionals;
if (!beforePath || !afterPath) throw new Error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot');
const PER = Number(values.per ?? 1);
const TOP = Number(values.top ?? 40);

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size by `type name`. */
function summarize(path: string): Map<string, { count: number; size: number }> {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const types = heap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [
    number,
    number,
    number,
  ];
  const rows = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < heap.nodes.length; i += fields.length) {
    const type = types[heap.nodes[i + typeAt] as number] as string;
    // Strings are grouped by kind, not by their text.
    const name =
      type === 'string' || type === 'concatenated string' || type === 'sliced string'
        ? ''
        : (heap.strings[heap.nodes[i + nameAt] as number] as string).slice(0, 60);
    const key = `${type} ${name}`;
    const row = rows.get(key) ?? { count: 0, size: 0 };
    row.count++;
    row.size += heap.nodes[i + sizeAt] as number;
    rows.set(key, row);
  }
  return rows;
}

const before = summarize(beforePath);
const after = summarize(afterPath);
const diff = [...after].map(([key, row]) => {
  const was = before.get(key) ?? { count: 0, size: 0 };
  return { key, count: (row.count - was.count) / PER, size: (row.size - was.size) / PER };
});
diff.sort((a, b) => b.size - a.size);
const total = diff.reduce((sum, row) => sum + row.size, 0);
process.stdout.write(`total ${Math.round(total)} B per ${PER}\n`);
for (const row of diff.slice(0, TOP))
  process.stdout.write(
    `${String(Math.round(row.size)).padStart(8)} B ${row.count.toFixed(2).padStart(8)}  ${row.key}\n`,
  );
