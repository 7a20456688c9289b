import type { CallLog } from '../../../src/sandbox/server.js';

/** The calls a WeChat Shop emulator served since its log's last reset, counted by `action`. */
export function callsByAction(log: CallLog): Record<string, number> {
  const byAction: Record<string, number> = {};
  for (const call of log.recent) {
    const action = new URL(call.path, 'http://emulator').searchParams.get('action') ?? call.path;
    byAction[action] = (byAction[action] ?? 0) + 1;
  }
  return byAction;
}
