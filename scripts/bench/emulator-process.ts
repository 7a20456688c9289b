/**
 * The sandbox emulators in a process of their own, serving precomputed answers: the vendor side
 * of every rung. The orchestrator reads vendor-call counts here, where the calls arrive.
 */
import type { Vendor } from '../../src/model/index.js';
import type { Faults } from '../../src/sandbox/faults.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { serve } from './ipc.js';

const sandbox = await startSandbox();
for (const emulator of sandbox.emulators.values()) emulator.setPrecomputed(true);

const emulator = (vendor: Vendor) => {
  const found = sandbox.emulators.get(vendor);
  if (!found) throw new Error(`No ${vendor} emulator`);
  return found;
};

serve({
  ready: () => true,
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
  stop: async () => {
    await sandbox.close();
    setImmediate(() => process.exit(0));
    return true;
  },
});
