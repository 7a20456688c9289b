import { composeChatgraph } from '../src/compose.js';
import { silentLogger } from '../src/logger.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { listen } from '../src/server.js';
import { serve } from './bench/ipc.js';

const chatgraph = await composeChatgraph({
  logger: silentLogger(),
  cursorSecret: 'abuse-cursor-secret-0123456789',
  policy: { introspection: false },
});
const { app } = chatgraph;
const sandbox = chatgraph.sandbox as Sandbox;
const { server, url } = await listen(chatgraph.yoga, 0, '127.0.0.1');

let peakHeap = process.memoryUsage().heapUsed;
let peakRss = process.memoryUsage.rss();
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
};
const sampler = setInterval(sample, 2);

const vendorCalls = (): Record<string, number> =>
  Object.fromEntries([...sandbox.emulators].map(([vendor, emulator]) => [vendor, emulator.calls.count]));

export interface Usage {
  /** CPU µs (user + system) since start. */
  cpuMicros: number;
  /** Peak heap since the last `usage` call, and now. */
  peakHeapBytes: number;
  heapBytes: number;
  peakRssBytes: number;
  /** Calls each vendor's emulator has answered since start. */
  vendorCalls: Record<string, number>;
  compilations: number;
  uncompiled: number;
  compiledEntries: number;
  compiledBytes: number;
}

serve({
  ready: () => ({ url, conversations: sandbox.conversations }),
  usage: (): Usage => {
    sample();
    const cpu = process.cpuUsage();
    const usage = {
      cpuMicros: cpu.user + cpu.system,
      peakHeapBytes: peakHeap,
      heapBytes: process.memoryUsage().heapUsed,
      peakRssBytes: peakRss,
      vendorCalls: vendorCalls(),
      compilations: app.compiledDocuments.compilations,
      uncompiled: app.compiledDocuments.uncompiled,
      compiledEntries: app.compiledDocuments.size,
      compiledBytes: app.compiledDocuments.bytes,
    };
    peakHeap = usage.heapBytes;
    return usage;
  },
  stop: async () => {
    clearInterval(sampler);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await chatgraph.close();
    setImmediate(() => process.exit(0));
  },
});
