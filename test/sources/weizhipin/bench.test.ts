/** The bench's direct client gets its tenant token through the source's own token call. */
import { expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index.js';
import type { WeizhipinSourceConfig } from '../../../src/sources/weizhipin/config.js';
import { weizhipin } from '../../../src/sources/weizhipin/index.js';

it('directHeaders carries the tenant token the emulator issued', async () => {
  const sandbox = await startSandbox({ vendors: ['WEIZHIPIN'] });
  try {
    const config = sandbox.sources[0] as WeizhipinSourceConfig;
    const headers = await weizhipin.bench.directHeaders(config);
    expect(Object.keys(headers)).toEqual(['authorization']);
    expect(headers.authorization).toMatch(/^Bearer t-sandbox[0-9a-f]+$/);
  } finally {
    await sandbox.close();
  }
});
