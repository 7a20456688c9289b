/**
 * Vendor answers are bounded as they stream in (issue 13, finding 9), the default timeouts leave
 * room for retries inside the operation's deadline (finding 10), and long integers keep their
 * digits (finding 7). Counts and bytes, not times.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { createSourceHttp, DEFAULT_TIMEOUTS } from '../../src/sources/http.js';
import { failure } from '../helpers/failure.js';

const closing: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

/** A vendor that writes `chunks` chunks of 64 KiB (Infinity: until the client leaves). */
async function streamingVendor(
  chunks: number,
  declare = false,
): Promise<{ url: string; sent: () => number }> {
  let sent = 0;
  const server: Server = createServer((_req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(declare ? { 'content-length': String(chunks * chunk.length + 2) } : {}),
    });
    res.write('[');
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (res.destroyed) return;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end(']');
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closing.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent: () => sent };
}

function client(baseUrl: string, maxResponseBytes: number, http: Record<string, number> = {}) {
  const made = createSourceHttp(
    { name: 'test', baseUrl, http: { maxResponseBytes, maxRetries: 0, ...http } },
    { logger: silentLogger() },
  );
  closing.push(() => made.close());
  return made.http;
}

describe('vendor answers are bounded', () => {
  it('refuses a body declared larger than the limit without reading it', async () => {
    const vendor = await streamingVendor(64, true);
    const error = await failure(client(vendor.url, 1024 * 1024).json({ method: 'GET', path: '/' }));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details).toMatchObject({ source: 'test', cause: 'tooLarge' });
  });

  it('cuts off an endless body once it passes the limit', async () => {
    const vendor = await streamingVendor(Number.POSITIVE_INFINITY);
    const error = await failure(client(vendor.url, 1024 * 1024).json({ method: 'GET', path: '/' }));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details).toMatchObject({ cause: 'tooLarge' });
    // 1 MiB is 16 chunks; what the socket buffers on top is bounded, not the stream.
    expect(vendor.sent()).toBeLessThan(16 + 64);
  });

  it('reads a body under the limit', async () => {
    const vendor = await streamingVendor(4);
    expect(await client(vendor.url, 1024 * 1024).json({ method: 'GET', path: '/' })).toEqual([]);
  });
});

/**
 * A vendor answering `bodies[path]` in chunks of `chunk` bytes, without a length (chunked), and
 * counting the connections made to it.
 */
async function chunkedVendor(
  bodies: Record<string, string>,
  chunk: number,
): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const body = bodies[req.url ?? ''] ?? 'null';
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let at = 0; at < body.length; at += chunk) res.write(body.slice(at, at + chunk));
    res.end();
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closing.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
  };
}

describe('the byte cap counts every byte of a chunked body', () => {
  // 2,000 bytes of JSON: a string of 1,998 characters.
  const big = JSON.stringify('x'.repeat(1_998));

  it('reads a body of exactly the limit, and refuses one byte more', async () => {
    const vendor = await chunkedVendor({ '/': big }, 100);
    expect(big.length).toBe(2_000);
    expect(await client(vendor.url, 2_000).json({ method: 'GET', path: '/' })).toBe('x'.repeat(1_998));
    const error = await failure(client(vendor.url, 1_999).json({ method: 'GET', path: '/' }));
    expect(error.details).toEqual({ source: 'test', field: '(body)', cause: 'tooLarge' });
    expect(error.message).toBe('Source "test" answered a body larger than 1999 bytes.');
  });

  it('joins multi-byte characters split across chunks', async () => {
    const text = '聊天记录'.repeat(100);
    // 3 bytes per character, 7-byte chunks: most characters are split between two chunks.
    const vendor = await chunkedVendor({ '/': JSON.stringify({ text }) }, 7);
    expect(await client(vendor.url, 4_096).json({ method: 'GET', path: '/' })).toEqual({ text });
  });

  it('drops the connection of a cut-off answer, and the next call gets one', async () => {
    const vendor = await chunkedVendor({ '/big': big, '/small': '{"ok":true}' }, 100);
    // One connection at most: one kept busy by a cut-off answer would leave the next calls waiting.
    const http = client(vendor.url, 1_024, { maxConcurrency: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await failure(http.json({ method: 'GET', path: '/big' }))).details.cause).toBe('tooLarge');
      expect(await http.json({ method: 'GET', path: '/small' })).toEqual({ ok: true });
    }
    const whole = await chunkedVendor({ '/small': '{"ok":true}' }, 4);
    const reused = client(whole.url, 1_024, { maxConcurrency: 1 });
    for (let i = 0; i < 3; i++)
      expect(await reused.json({ method: 'GET', path: '/small' })).toEqual({ ok: true });
    // Whole answers leave their connection open for the next call.
    expect(whole.connections()).toBe(1);
  });
});

/** A vendor that starts answering `/stall` and never finishes, never answers `/hang`, and answers `/ok`. */
async function stallingVendor(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(req.url ?? '');
    if (req.url === '/ok') return void res.end('{"ok":true}');
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[1,');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closing.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths };
}

describe('a call ends when its operation does', () => {
  const operation = (ms = 10_000) => {
    const controller = new AbortController();
    return { controller, scope: { deadline: Date.now() + ms, signal: controller.signal } };
  };

  it('stops reading an answer when the client leaves, and frees its connection', async () => {
    const vendor = await stallingVendor();
    const http = client(vendor.url, 1_024, { maxConcurrency: 1 });
    const { controller, scope } = operation();
    const pending = failure(http.json({ method: 'GET', path: '/stall' }, scope));
    await vi.waitFor(() => expect(vendor.paths).toEqual(['/stall']));
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('CANCELLED');
    expect(await http.json({ method: 'GET', path: '/ok' })).toEqual({ ok: true });
  });

  it('ends a call waiting for a connection at once, and never sends it', async () => {
    const vendor = await stallingVendor();
    const http = client(vendor.url, 1_024, { maxConcurrency: 1 });
    const first = operation();
    const hung = failure(http.json({ method: 'GET', path: '/hang' }, first.scope));
    await vi.waitFor(() => expect(vendor.paths).toEqual(['/hang']));
    // Queued behind the hung call: the client leaves, then the deadline of another one passes.
    const left = operation();
    const queued = failure(http.json({ method: 'GET', path: '/ok' }, left.scope));
    left.controller.abort();
    expect((await queued).code).toBe('CANCELLED');
    const late = failure(http.json({ method: 'GET', path: '/ok' }, operation(50).scope));
    expect((await late).details).toEqual({ source: 'test', cause: 'DEADLINE' });
    first.controller.abort();
    expect((await hung).code).toBe('CANCELLED');
    // The connection is free again: only this call is sent after the hung one.
    expect(await http.json({ method: 'GET', path: '/ok' })).toEqual({ ok: true });
    expect(vendor.paths).toEqual(['/hang', '/ok']);
  });
});

describe('timeouts', () => {
  it('time a hung call out early enough to retry it twice within the default deadline', () => {
    const attempt = Math.max(DEFAULT_TIMEOUTS.connectMs, DEFAULT_TIMEOUTS.headersMs);
    expect(3 * attempt).toBeLessThan(DEFAULT_POLICY.requestTimeoutMs);
    expect(3 * DEFAULT_TIMEOUTS.bodyMs).toBeLessThan(DEFAULT_POLICY.requestTimeoutMs);
  });
});
