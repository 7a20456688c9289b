/**
 * Short search terms on SQLite. FTS5's trigram tokenizer finds strings of three characters or
 * more; one or two it cannot, and in Chinese two characters are a whole word ("退款", refund). So
 * the store also indexes each message's text as its characters and pairs of characters,
 * lower-cased, each written as an ASCII token of its code points: `u9000` for 退, `b9000x6b3e` for
 * 退款. They live in a contentless FTS5 table without positions (`messages_short`, detail=none):
 * a short query is one token, its hits read newest first like the trigram index's, and no longer
 * a scan of the table. SQLite computes the tokens in its own triggers, through
 * `SHORT_TERMS_FUNCTION`, registered on every connection the store opens (`registerShortTerms`).
 * PostgreSQL has no such index: there a short query scans, bounded (`SHORT_QUERY_SCAN`).
 */
import type { Database } from 'better-sqlite3';

export const SHORT_TERMS_FUNCTION = 'chatgraph_short_terms';

const hex = (character: string): string => (character.codePointAt(0) as number).toString(16);

/** The tokens of a text: each character and each pair of neighbours once, space-separated. */
export function shortTerms(text: string | null): string | null {
  if (text === null) return null;
  const characters = [...text.toLowerCase()];
  const terms = new Set<string>();
  for (let i = 0; i < characters.length; i++) {
    const here = hex(characters[i] as string);
    terms.add(`u${here}`);
    if (i + 1 < characters.length) terms.add(`b${here}x${hex(characters[i + 1] as string)}`);
  }
  return [...terms].join(' ');
}

/**
 * The token a query of one or two characters (once lower-cased) is found by, as an FTS5 phrase;
 * null for any other query.
 */
export function shortTermQuery(query: string): string | null {
  const characters = [...query.toLowerCase()];
  if (characters.length === 1) return `"u${hex(characters[0] as string)}"`;
  if (characters.length === 2) {
    return `"b${hex(characters[0] as string)}x${hex(characters[1] as string)}"`;
  }
  return null;
}

/** Makes the tokens computable in SQL on this connection (its triggers and migrations use it). */
export function registerShortTerms(database: Database): void {
  database.function(SHORT_TERMS_FUNCTION, { deterministic: true }, (text: unknown) =>
    shortTerms(typeof text === 'string' ? text : null),
  );
}
