/**
 * The sandbox emulators in a process of their own, serving precomputed answers: the vendor side
 * of every rung. The orchestrator reads vendor-call counts here, where the calls arrive.
 */
import type { Vendor } from '../../src/model/index.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { type RunningEmulator, startEmulator } from '../../src/sandbox/server.js';
import type { WeizhipinWireRecord } from '../../src/sources/weizhipin/sandbox/data.js';
import { WeizhipinEmulator } from '../../src/sources/weizhipin/sandbox/emulator.js';
import { serve } from './ipc.js';

const sandbox = await startSandbox();
for (const emulator of sandbox.emulators.values()) emulator.setPrecomputed(true);

const emulator = (vendor: Vendor) => {
  const found = sandbox.emulators.get(vendor);
  if (!found) throw new Error(`No ${vendor} emulator`);
  return found;
};

/** The sparse-chat case's own weizhipin emulator, with latency: here, so its work is not the gateway's. */
let sparse: { emulator: WeizhipinEmulator; running: RunningEmulator } | null = null;

serve({
  ready: () => true,
  startSparse: async (options) => {
    const { chat, latencyMs } = options as { chat: WeizhipinWireRecord[]; latencyMs: number };
    const emulator = new WeizhipinEmulator({
      chats: new Map([['open_id:ou_sparse', chat]]),
      appId: 'bench',
      appSecret: 'bench-secret',
      latencyMs,
    });
    sparse = { emulator, running: await startEmulator(emulator.handler) };
    return sparse.running.baseUrl;
  },
  sparseStats: () => ({
    depth: sparse?.emulator.maxMessageCallDepth ?? 0,
    calls: sparse?.emulator.messageCalls ?? 0,
  }),
  sparseReset: () => {
    sparse?.emulator.resetStats();
    return true;
  },
  sources: () => sandbox.sources,
  counts: () => Object.fromEntries([...sandbox.emulators].map(([vendor, e]) => [vendor, e.calls.count])),
  recent: (vendor) =>
    emulator(vendor as Vendor).calls.recent.map(({ method, path, body }) => ({ method, path, body })),
  reset: () => {
    for (const e of sandbox.emulators.values()) e.calls.reset();
    return true;
  },
  faults: (faults) => {
    for (const e of sandbox.emulators.values()) e.setFaults(faults as Faults);
    return true;
  },
  rss: () => process.memoryUsage().rss,
  cpu: () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  },
  stop: async () => {
    await sparse?.running.close();
    await sandbox.close();
    setImmediate(() => process.exit(0));
    return true;
  },
});
