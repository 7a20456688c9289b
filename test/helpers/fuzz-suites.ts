/**
 * The fuzz suites every vendor declares in its `test/sources/<vendor>/fuzz.test.ts`: its records
 * swept, generated and mutated through its wire schema and normalizer (`recordFuzzTests`), and its
 * pages served by its emulator and read through its source (`pageFuzzTest`). Built from the pieces
 * in `mutate.ts`.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../../src/model/index.js';
import { parseJsonLossless } from '../../src/normalize/wire.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import {
  classify,
  expectRefusal,
  type MessageExpectations,
  mutated,
  type Outcomes,
  outcomes,
  sweep,
} from './mutate.js';

/** What one vendor's record fuzzing needs; `recordFuzzTests` declares the three shared tests. */
export interface RecordFuzz<R> {
  /** Reads a raw record through the wire schema, as the client does (a thunk, for `classify`). */
  read: (raw: unknown) => () => R;
  /** Normalizes a record read from `raw`, as the source does. */
  normalize: (raw: unknown) => (record: R) => Message;
  expectations: (raw: unknown) => MessageExpectations;
  /** The fields the code reads: swept one by one, and mutated more often than the rest. */
  focus: readonly string[];
  /** Records swept field by field with the edge values. */
  swept: ReadonlyArray<Record<string, unknown>>;
  /** Generated records, each with the content type it must normalize into. */
  generated: fc.Arbitrary<{ typename: string; raw: Record<string, unknown> }>;
  /** Sample, sandbox and generated records, to mutate. */
  anyRecord: fc.Arbitrary<unknown>;
  /** The vendor's content union: every member must turn up among the generated records. */
  contentTypes: readonly string[];
  /** The record's id field: refusals must name it among others. */
  idField: string;
  generatedRuns: number;
  /** More checks on a generated record's message. */
  onGenerated?: (message: Message | null, raw: Record<string, unknown>) => void;
}

export function recordFuzzTests<R>(fuzz: RecordFuzz<R>): void {
  const check = (raw: unknown, tally: Outcomes) =>
    classify(fuzz.read(raw), fuzz.normalize(raw), fuzz.expectations(raw), tally);

  it('every field the code reads, swept with edge values, is normalized or refused by field', () => {
    const tally = outcomes();
    for (const record of fuzz.swept) {
      for (const { value, steps } of sweep(record, fuzz.focus)) {
        try {
          check(value, tally);
        } catch (error) {
          throw new Error(`${steps.join(', ')}: ${(error as Error).message}`);
        }
      }
    }
    expect(tally.normalized).toBeGreaterThan(0);
    expect(tally.unsupported).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });

  it('generated records of every content type normalize into that content', () => {
    const tally = outcomes();
    const seen = new Set<string>();
    fc.assert(
      fc.property(fuzz.generated, ({ typename, raw }) => {
        const message = check(raw, tally);
        seen.add(String(message?.content.__typename));
        expect(message?.content.__typename).toBe(typename);
        fuzz.onGenerated?.(message, raw);
      }),
      { numRuns: fuzz.generatedRuns },
    );
    expect(tally.refused).toBe(0);
    expect([...seen].sort()).toEqual([...fuzz.contentTypes].sort());
  });

  it('mutated sample, sandbox and generated records are normalized or refused by field', () => {
    const tally = outcomes();
    fc.assert(
      fc.property(
        fuzz.anyRecord.chain((record) => mutated(record, fuzz.focus)),
        ({ value }) => {
          check(value, tally);
        },
      ),
      { numRuns: 500 },
    );
    expect(tally.normalized).toBeGreaterThan(0);
    expect(tally.unsupported).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
    // Refusals name the record's fields, never a blank.
    expect(tally.fields.has(fuzz.idField)).toBe(true);
  });
}

/** What one vendor's page fuzzing needs; `pageFuzzTest` declares the shared HTTP test. */
export interface PageFuzz<S extends { close(): Promise<void> }> {
  source: string;
  /** The vendor's source, configured on the emulator's base URL. */
  makeSource: (baseUrl: string) => S;
  /** The emulator's answer to a call that is not for the page (a token), if the vendor has one. */
  otherCall?: (url: URL) => { status: number; body: unknown } | undefined;
  /** Any record of the vendor, as sent; each record of a page is this or a mutation of it. */
  anyRecord: fc.Arbitrary<unknown>;
  /** The fields mutations favour. */
  focus: readonly string[];
  /** Ways to put the list in the vendor's envelope; the first is the documented one. */
  shapes: readonly [string, ...string[]];
  envelope: (list: unknown[], shape: string) => Record<string, unknown>;
  /** Whether the shape delivers the list's records (else the page is empty or refused). */
  listed: (shape: string) => boolean;
  /** Whether the shape alone makes the page unreadable. */
  unreadableShape: (shape: string) => boolean;
  /** Whether a record read on its own passes the wire schema. */
  readable: (raw: unknown) => boolean;
  /** One page through the source (`fetchPage`), as the engine asks for it. */
  fetch: (source: S) => Promise<Message[]>;
  expectations: (raw: unknown) => MessageExpectations;
  /** A clean record, and its id field: the examples every run includes. */
  sample: Record<string, unknown>;
  idField: string;
}

/**
 * Whole pages through the vendor's source, its client and HTTP, against an emulator serving the
 * fuzzed body: declared inside the vendor's `describe`.
 */
export function pageFuzzTest<S extends { close(): Promise<void> }>(fuzz: PageFuzz<S>): void {
  let served: unknown = null;
  let emulator: RunningEmulator;
  let source: S;
  beforeAll(async () => {
    emulator = await startEmulator(({ url }) => fuzz.otherCall?.(url) ?? { status: 200, body: served });
    source = fuzz.makeSource(emulator.baseUrl);
  });
  afterAll(async () => {
    await source.close();
    await emulator.close();
  });
  /** `list` as the vendor sends it, or mutated record by record. */
  const page = fc.array(
    fuzz.anyRecord.chain((record) =>
      fc.oneof(fc.constant({ value: record, steps: [] as string[] }), mutated(record, fuzz.focus)),
    ),
    { maxLength: 5 },
  );

  it('a page is normalized record by record, or refused naming the field', async () => {
    const tally = outcomes();
    const [listedShape] = fuzz.shapes;
    await fc.assert(
      fc.asyncProperty(page, fc.constantFrom(...fuzz.shapes), async (records, shape) => {
        // What arrives is the JSON text of what is served, read as the sources read it (integers
        // too long for a double keep their digits, as strings): compare against that.
        const list = parseJsonLossless(
          JSON.stringify(records.map((record) => record.value ?? null)),
        ) as unknown[];
        served = fuzz.envelope(list, shape);
        // Each record read on its own decides what the page must be.
        const refused =
          fuzz.unreadableShape(shape) || (fuzz.listed(shape) && list.some((raw) => !fuzz.readable(raw)));
        let messages: Message[];
        try {
          messages = await fuzz.fetch(source);
        } catch (error) {
          expect(refused).toBe(true);
          expectRefusal(error, fuzz.source, tally);
          return;
        }
        expect(refused).toBe(false);
        expect(messages).toHaveLength(fuzz.listed(shape) ? list.length : 0);
        messages.forEach((message, index) => {
          classify(
            () => message,
            (same) => same,
            fuzz.expectations(list[index]),
            tally,
          );
        });
      }),
      {
        numRuns: 30,
        // `FC_SEED=<seed> npx vitest run …` replays a failure fast-check reported.
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        // A clean page and one with an unreadable record, so both outcomes are always exercised.
        examples: [
          [[{ value: fuzz.sample, steps: [] }], listedShape],
          [
            [{ value: { ...fuzz.sample, [fuzz.idField]: { not: 'an id' } }, steps: [fuzz.idField] }],
            listedShape,
          ],
        ],
      },
    );
    expect(tally.normalized).toBeGreaterThan(0);
    expect(tally.refused).toBeGreaterThan(0);
  });
}
