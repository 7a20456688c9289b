/** Request ids: accepted or generated, echoed, and on the operation's and its vendor calls' log lines. */
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedRequestId } from '../../src/telemetry/request-id.js';
import { type OpsHarness, startOpsHarness, WECHAT_FIRST_PAGE } from './ops-harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let harness: OpsHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('acceptedRequestId', () => {
  it('takes short ids of a plain charset only', () => {
    expect(acceptedRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    expect(acceptedRequestId('a'.repeat(64))).toBe('a'.repeat(64));
    expect(acceptedRequestId('a'.repeat(65))).toBeNull();
    expect(acceptedRequestId('')).toBeNull();
    expect(acceptedRequestId(null)).toBeNull();
    expect(acceptedRequestId('id with space')).toBeNull();
    expect(acceptedRequestId('id"quote')).toBeNull();
    expect(acceptedRequestId('line\nbreak')).toBeNull();
    expect(acceptedRequestId('ünïcode')).toBeNull();
  });
});

describe('request ids', () => {
  it("echoes the client's id and puts it on the operation line and every vendor-call line", async () => {
    harness = await startOpsHarness({ vendors: ['WECHAT_STORE'] });
    const response = await harness.graphql(WECHAT_FIRST_PAGE, { 'x-request-id': 'client-req-42' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-req-42');

    const logs = harness.logs();
    const operations = logs.filter((line) => line.msg === 'graphql operation');
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({
      level: 30,
      requestId: 'client-req-42',
      operationType: 'query',
      operationName: 'FirstPage',
      status: 'ok',
    });
    expect(typeof operations[0]?.ms).toBe('number');

    const calls = logs.filter((line) => line.msg === 'vendor call');
    expect(calls).toHaveLength(harness.sandbox.emulators.get('WECHAT_STORE')?.calls.count ?? -1);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      level: 20,
      requestId: 'client-req-42',
      source: 'wechat-store',
      // The path alone: `?action=get_room_msg` (and any credential a vendor puts there) never.
      path: '/shop/commkf/msg',
      status: 200,
      code: null,
    });
    expect(calls[0]?.callId).toMatch(UUID);
    expect(Object.keys(calls[0] ?? {}).sort()).toEqual(
      [
        'callId',
        'code',
        'hostname',
        'level',
        'ms',
        'msg',
        'path',
        'pid',
        'requestId',
        'source',
        'status',
        'time',
      ].sort(),
    );
  });

  it('generates an id when there is none or it is not acceptable, and never logs the rejected one', async () => {
    harness = await startOpsHarness({ vendors: ['WECHAT_STORE'] });
    const plain = await harness.graphql(WECHAT_FIRST_PAGE);
    const forged = await harness.graphql(WECHAT_FIRST_PAGE, { 'x-request-id': 'x" injected=1' });
    const generated = [plain.headers.get('x-request-id'), forged.headers.get('x-request-id')];
    for (const id of generated) expect(id).toMatch(UUID);
    expect(generated[0]).not.toBe(generated[1]);

    const logs = harness.logs();
    const byOperation = logs.filter((line) => line.msg === 'graphql operation').map((line) => line.requestId);
    expect(byOperation).toEqual(generated);
    expect(JSON.stringify(logs)).not.toContain('injected');
  });

  it('keeps the vendor calls of concurrent operations apart', async () => {
    harness = await startOpsHarness({ vendors: ['WECHAT_STORE'] });
    const query = (room: string) => `{ source(name: "wechat-store") { conversation(externalId: "${room}") {
      messages(first: 2) { edges { node { id } } } } } }`;
    await Promise.all([
      harness.graphql(query('4370405345218887686'), { 'x-request-id': 'op-a' }),
      harness.graphql(query('sandbox-long'), { 'x-request-id': 'op-b' }),
    ]);
    const calls = harness.logs().filter((line) => line.msg === 'vendor call');
    expect(calls.map((line) => line.requestId).sort()).toEqual(['op-a', 'op-b']);
    // Each operation's single call was its own room's (the emulator saw both rooms once).
    const rooms = harness.sandbox.emulators
      .get('WECHAT_STORE')
      ?.calls.recent.map((call) => (call.body as { room_id: string }).room_id);
    expect(rooms?.sort()).toEqual(['4370405345218887686', 'sandbox-long']);
  });

  it('sets the header on answers that are not GraphQL too', async () => {
    harness = await startOpsHarness({ vendors: [] });
    const health = await harness.fetch('/health', { headers: { 'x-request-id': 'probe-1' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('probe-1');
    const metrics = await harness.fetch('/metrics');
    expect(metrics.headers.get('x-request-id')).toMatch(UUID);
  });
});
