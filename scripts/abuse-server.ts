/**
 * The server `npm run abuse` attacks, in a process of its own: the sandbox (every vendor's
 * emulator, in this process too) behind the API as shipped, with introspection off (finding 6),
 * on loopback. Over IPC it reports what the attacks cost it: CPU time (`process.cpuUsage`), peak
 * heap (sampled every 2 ms, and at each call) and RSS, and the emulators' vendor-call count.
 */
import { closeApp, createApp } from '../src/app.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox } from '../src/sandbox/index.js';
import { listen } from '../src/server.js';
import { createSources } from '../src/sources/index.js';
import { createChatgraphYoga } from '../src/yoga.js';
import { serve } from './bench/ipc.js';

const sandbox = await startSandbox();
const logger = silentLogger();
const app = createApp({
  sources: createSources(sandbox.sources, { logger }),
  cursorSecret: 'abuse-cursor-secret-0123456789',
  logger,
  policy: { introspection: false },
  knownConversations: sandbox.conversations,
});
const { server, url } = await listen(createChatgraphYoga(app), 0, '127.0.0.1');

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
    await closeApp(app);
    await sandbox.close();
    setImmediate(() => process.exit(0));
  },
});
