/**
 * Quirk profiles for the sandbox emulators: each behaviour a vendor's document leaves open (a page
 * cap below the size asked, inclusive anchors, unsorted pages, records repeated across pages, …) is
 * a switch an emulator reads at start, so tests and users can run chatgraph against every variant
 * the document allows rather than the one our emulator happened to assume. Emulators are strict
 * where the documents are explicit; quirks only ever pick among what the documents allow.
 *
 * As an environment variable (`CHATGRAPH_SANDBOX_QUIRKS`) or `chatgraph serve --quirks`, a list of
 * `<source>.<quirk>[=<value>]` (a quirk without a value is `1`), e.g. `<source>.pageCap=30,<source>.repeat=2`
 * (each vendor's quirks are in the table at the end of docs/configuration.md).
 *
 * Each vendor's sandbox folder declares its quirks as a strict zod object over these raw strings
 * (`SandboxVendor.quirks`), so an unknown quirk or a bad value is refused at start.
 */

import { z } from 'zod';

/** A whole-number quirk, written as digits. */
export const quirkInt = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'a whole number').transform(Number).pipe(z.int().min(min).max(max));

/** An on/off quirk: `1`/`true` or `0`/`false` (a bare quirk is `1`). */
export const quirkBool = z
  .enum(['0', '1', 'true', 'false'])
  .transform((value) => value === '1' || value === 'true');

/** One vendor's quirks as written: quirk name → its raw value. */
export type QuirkSettings = Record<string, string>;

/** Quirks by sandbox source name (see `sandboxSourceName`). */
export type QuirkSpec = Record<string, QuirkSettings>;

/** Reads `source.quirk=value,…`; throws on a part without a source or a quirk name. */
export function parseQuirks(spec: string): QuirkSpec {
  const out: QuirkSpec = {};
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    const value = eq === -1 ? '1' : part.slice(eq + 1).trim();
    const dot = name.indexOf('.');
    const source = name.slice(0, dot);
    const quirk = name.slice(dot + 1);
    if (dot <= 0 || quirk === '' || value === '') {
      throw new Error(`Bad quirk "${part}": use <source>.<quirk>[=<value>], e.g. <source>.pageCap=30.`);
    }
    out[source] = { ...out[source], [quirk]: value };
  }
  return out;
}
