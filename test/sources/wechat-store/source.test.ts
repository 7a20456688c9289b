import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatgraphError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import {
  WECHAT_STORE_SAMPLE_ROOM,
  wechatStoreSampleRecords,
} from '../../../src/sources/wechat-store/sandbox/data.js';
import { wechatStoreEmulator } from '../../../src/sources/wechat-store/sandbox/emulator.js';
import { type WechatStorePageRequest, WechatStoreSource } from '../../../src/sources/wechat-store/source.js';
import { NEWEST_MSG_ID } from '../../../src/sources/wechat-store/wire.js';
import { failure } from '../../helpers/failure.js';

const COOKIE = 'sandbox_session=s3cret-cookie-value';
const BIZ_MAGIC = 'biz-magic-value';
const sampleIds = wechatStoreSampleRecords().map((record) => record.msg_id);

let emulator: RunningEmulator;
let source: WechatStoreSource;
const direct = { load: (request: WechatStorePageRequest) => source.fetchPage(request) };

function sourceFor(baseUrl: string, cookie = COOKIE): WechatStoreSource {
  return new WechatStoreSource(
    { vendor: 'WECHAT_STORE', name: 'shop', baseUrl, cookie, bizMagic: BIZ_MAGIC, pageSize: 50 },
    { logger: silentLogger() },
  );
}

beforeAll(async () => {
  emulator = await startEmulator(
    wechatStoreEmulator({
      rooms: new Map([[WECHAT_STORE_SAMPLE_ROOM, wechatStoreSampleRecords()]]),
      cookie: COOKIE,
      bizMagic: BIZ_MAGIC,
    }),
  );
  source = sourceFor(emulator.baseUrl);
});

afterAll(async () => {
  await source.close();
  await emulator.close();
});

describe('WeChat Shop source against its emulator', () => {
  it('reads the newest page with the documented request', async () => {
    emulator.calls.reset();
    const page = await source.fetchPage({
      roomId: WECHAT_STORE_SAMPLE_ROOM,
      msgId: NEWEST_MSG_ID,
      limit: 10,
    });
    expect(page.map((m) => m.externalId)).toEqual(sampleIds.slice(0, 10));
    expect(emulator.calls.recent).toEqual([
      {
        method: 'POST',
        path: '/shop/commkf/msg?action=get_room_msg',
        body: { room_id: WECHAT_STORE_SAMPLE_ROOM, msg_id: NEWEST_MSG_ID, op: 0, limit: 10 },
        status: 200,
      },
    ]);
  });

  it('pages toward older messages from a msg_id, exclusive', async () => {
    const page = await source.fetchPage({
      roomId: WECHAT_STORE_SAMPLE_ROOM,
      msgId: sampleIds[15] as string,
      limit: 3,
    });
    expect(page.map((m) => m.externalId)).toEqual(sampleIds.slice(16, 19));
  });

  it('continues after a short page and ends only on an empty one', async () => {
    const request = { conversation: WECHAT_STORE_SAMPLE_ROOM, direction: 'older' as const, filter: {} };
    const full = await source.read(direct, { ...request, from: null, limit: 25 });
    expect(full.messages).toHaveLength(25);
    expect(full.continuation).toBe(sampleIds[24]);
    const rest = await source.read(direct, {
      ...request,
      from: null,
      limit: 25,
      continuation: full.continuation,
    });
    expect(rest.messages.map((m) => m.externalId)).toEqual(sampleIds.slice(25));
    // 5 of 25 may be the vendor's own cap: only the empty page after it is the end.
    expect(rest.continuation).toBe(sampleIds[29]);
    const end = await source.read(direct, {
      ...request,
      from: null,
      limit: 25,
      continuation: rest.continuation,
    });
    expect(end).toEqual({ messages: [], continuation: null });
  });

  it('finds a message again from its position with one call', async () => {
    emulator.calls.reset();
    const found = await source.find(direct, WECHAT_STORE_SAMPLE_ROOM, { id: sampleIds[7] as string, t: 0 });
    expect(found?.externalId).toBe(sampleIds[7]);
    expect(emulator.calls.count).toBe(1);
    expect(
      await source.find(direct, WECHAT_STORE_SAMPLE_ROOM, { id: '4370407754730274820', t: 0 }),
    ).toBeNull();
    expect(await source.find(direct, WECHAT_STORE_SAMPLE_ROOM, { id: 'not-a-number', t: 0 })).toBeNull();
  });

  it('reports ret 3000 as VENDOR_AUTH_FAILED without the cookie', async () => {
    const stranger = sourceFor(emulator.baseUrl, 'sandbox_session=wrong');
    const error = await failure(
      stranger.fetchPage({ roomId: WECHAT_STORE_SAMPLE_ROOM, msgId: NEWEST_MSG_ID, limit: 5 }),
    );
    expect(error.code).toBe('VENDOR_AUTH_FAILED');
    expect(error.details).toEqual({ source: 'shop', vendorCode: 3000 });
    expect(error.message).not.toContain('wrong');
    await stranger.close();
  });

  it('reports another non-zero ret as VENDOR_ERROR with the vendor code', async () => {
    const error = await failure(
      source.fetchPage({ roomId: WECHAT_STORE_SAMPLE_ROOM, msgId: NEWEST_MSG_ID, limit: 0 }),
    );
    expect(error.code).toBe('VENDOR_ERROR');
    expect(error.details).toEqual({ source: 'shop', vendorCode: -2 });
  });

  it('checks the room id without a vendor call', () => {
    expect(source.conversationId('sandbox-long')).toBe('sandbox-long');
    expect(() => source.conversationId('room 1')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => source.conversationId('')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('WeChat Shop source against a misbehaving vendor', () => {
  async function against(handler: EmulatorHandler): Promise<ChatgraphError> {
    const bad = await startEmulator(handler);
    const client = sourceFor(bad.baseUrl);
    try {
      return await failure(client.fetchPage({ roomId: '1', msgId: NEWEST_MSG_ID, limit: 5 }));
    } finally {
      await client.close();
      await bad.close();
    }
  }

  it('names the field of a record it cannot read', async () => {
    const error = await against(() => ({
      status: 200,
      body: {
        base_resp: { ret: 0 },
        list: [{ msg_id: 'm-1', create_time: '1' }],
      },
    }));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details).toEqual({ source: 'shop', field: 'msg_id' });
  });

  it('refuses more records than were asked for (issue 13: 300,000 for 101)', async () => {
    const list = Array.from({ length: 6 }, (_, i) => ({ msg_id: String(100 - i), create_time: '1' }));
    const error = await against(() => ({ status: 200, body: { base_resp: { ret: 0 }, list } }));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details).toEqual({ source: 'shop', field: '(body)', cause: 'tooLarge' });
  });

  it('reads a 64-bit msg_id sent as a JSON number with every digit', async () => {
    // JSON.stringify cannot write such a number: the vendor's bytes, as sent.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"base_resp":{"ret":0},"list":[{"msg_id":4370579409892622341,"create_time":"1"}]}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = sourceFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const [message] = await client.fetchPage({ roomId: '1', msgId: NEWEST_MSG_ID, limit: 5 });
      expect(message?.externalId).toBe('4370579409892622341');
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('rejects an envelope without base_resp', async () => {
    const error = await against(() => ({ status: 200, body: { list: [] } }));
    expect(error.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.details.field).toBe('base_resp');
  });

  it('maps HTTP failures to codes', async () => {
    expect((await against(() => ({ status: 502, body: {} }))).details).toEqual({
      source: 'shop',
      httpStatus: 502,
    });
    expect((await against(() => ({ status: 429, body: {} }))).code).toBe('VENDOR_RATE_LIMITED');
  });

  it('reports an unreachable vendor as VENDOR_UNREACHABLE', async () => {
    const gone = await startEmulator(() => ({ status: 200, body: {} }));
    const url = gone.baseUrl;
    await gone.close();
    const client = sourceFor(url);
    const error = await failure(client.fetchPage({ roomId: '1', msgId: NEWEST_MSG_ID, limit: 5 }));
    expect(error.code).toBe('VENDOR_UNREACHABLE');
    await client.close();
  });
});
