/**
 * Brings what the browser tests need onto a fresh machine, so `npm ci && npm test` passes with
 * nothing installed by hand: Debian's Chromium and a CJK font (fonts-wqy-zenhei, so Chinese
 * messages show as a Chinese-speaking agent sees them, not as boxes). Installed with apt-get when
 * missing and the tests run as root (CI does); otherwise the browser tests say what to install.
 * Chosen over a browser from the npm registry: Debian's Chromium comes with the shared libraries it
 * links against, which a bare machine lacks, and it is the browser .ci/run has always used.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './browser-path.js';

const PACKAGES = ['chromium', 'fonts-wqy-zenhei'];

function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false;
  }
}

export default function setup(): void {
  if (existsSync(CHROMIUM_PATH) && hasCjkFont()) return;
  if (process.env.CHATGRAPH_E2E_INSTALL === '0' || process.getuid?.() !== 0) return;
  if (!existsSync('/usr/bin/apt-get')) return;
  process.stderr.write(`test/e2e: installing ${PACKAGES.join(' ')} with apt-get (once per machine)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) =>
    execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  run(['update']);
  run(['install', '-y', '--no-install-recommends', ...PACKAGES]);
}
