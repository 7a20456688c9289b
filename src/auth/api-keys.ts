/**
 * Client authentication by API key. Keys are never stored: configuration holds their SHA-256,
 * and a presented key is hashed and compared in constant time against every client's hash (so
 * the time taken says nothing about which client nearly matched). Each client is scoped to the
 * sources it may read.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiKeyClient {
  /** Who the key belongs to, for logs; not a secret. */
  name: string;
  /** SHA-256 of the key. */
  keyHash: Buffer;
  /** The source names this client may read; null: every source. */
  sources: ReadonlySet<string> | null;
  /**
   * A federation gateway's key: may read the subgraph SDL (`_service`) even with introspection
   * off. Absent: false.
   */
  gateway?: boolean;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The key a request presents: `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(headers: Headers): string | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? null;
  }
  return headers.get('x-api-key')?.trim() || null;
}

export function authenticate(clients: readonly ApiKeyClient[], headers: Headers): ApiKeyClient | null {
  const key = presentedKey(headers);
  if (!key) return null;
  const hash = hashApiKey(key);
  let found: ApiKeyClient | null = null;
  // Compare against every client, even after a match.
  for (const client of clients) {
    if (timingSafeEqual(hash, client.keyHash) && !found) found = client;
  }
  return found;
}
