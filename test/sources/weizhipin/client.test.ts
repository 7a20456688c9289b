/** The weizhipin client against a vendor answering what its document allows, and more (issue 13). */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { type EmulatorHandler, type RunningEmulator, startEmulator } from '../../../src/sandbox/server.js';
import { createSourceHttp } from '../../../src/sources/http.js';
import { WeizhipinClient } from '../../../src/sources/weizhipin/client.js';

const running: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((item) => item.close()));
});

/** A vendor that issues tokens and answers message calls with `messages`. */
async function vendor(messages: () => unknown): Promise<WeizhipinClient> {
  const handler: EmulatorHandler = (request) =>
    request.url.pathname.endsWith('/tenant_access_token/internal')
      ? { status: 200, body: { code: 0, data: { tenant_access_token: 't-1', expire: 7140 } } }
      : { status: 200, body: messages() };
  const emulator: RunningEmulator = await startEmulator(handler);
  running.push(emulator);
  const made = createSourceHttp(
    { name: 'zhipin', baseUrl: emulator.baseUrl, http: { maxRetries: 0 } },
    { logger: silentLogger() },
  );
  running.push(made);
  return new WeizhipinClient({
    source: 'zhipin',
    http: made.http,
    credentials: { appId: 'a', appSecret: 's' },
  });
}

const query = {
  user_id_type: 'open_id' as const,
  user_id: 'ou_1',
  start_time: 1_680_566_400,
  end_time: 1_680_652_800,
  message_type: 'text',
  page_size: 2,
};

const record = (id: string) => ({ message_id: id, create_time: '1680593068000', msg_type: 'text' });

describe('weizhipin client', () => {
  it("puts the vendor's traceId on its errors", async () => {
    const client = await vendor(() => ({ code: 230001, msg: 'no permission', traceId: '_Ao59UOIBLPCeAAu' }));
    const error = await client.imMessages(query).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VENDOR_ERROR',
      details: { source: 'zhipin', vendorCode: 230001, traceId: '_Ao59UOIBLPCeAAu' },
    });
  });

  it('refuses more records than page_size asked for', async () => {
    const client = await vendor(() => ({ code: 0, data: [record('a'), record('b'), record('c')] }));
    const error = await client.imMessages(query).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', details: { cause: 'tooLarge' } });
    const fine = await vendor(() => ({ code: 0, data: [record('a'), record('b')] }));
    expect(await fine.imMessages(query)).toHaveLength(2);
  });
});
