/**
 * The sandbox's default store (`npm start`: listing and search work at once) and the `chatgraph
 * store` command: migrate, stats, purge of a conversation (erasure), by age, refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, main, serve } from '../../src/cli.js';

function io(): CliIo & { out: string; err: string } {
  const out = { out: '', err: '' };
  return Object.assign(out, {
    stdout: (text: string) => {
      out.out += text;
    },
    stderr: (text: string) => {
      out.err += text;
    },
    env: {},
  });
}

const dir = mkdtempSync(join(tmpdir(), 'chatgraph-store-cli-'));
const file = join(dir, 'sandbox.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const graphql = async (url: string, query: string) =>
  (await (
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })
  ).json()) as { data: Record<string, { edges: Array<Record<string, unknown>> }> };

describe('the sandbox store', () => {
  it('lists every sandbox conversation and searches them once started', async () => {
    const running = await serve(
      // No live messages: the live chats stay as the sandbox starts them, unread.
      { port: 0, env: {}, store: file, liveIntervalMs: 0, logger: pino({ level: 'silent' }) },
      io(),
    );
    try {
      await running.primed;
      const listed = await graphql(
        running.url,
        '{ conversations(first: 50) { edges { node { source { name } externalId } } } }',
      );
      const names = listed.data.conversations?.edges.map(
        (e) =>
          `${(e.node as { source: { name: string } }).source.name} ${(e.node as { externalId: string }).externalId}`,
      );
      // The empty ones have nothing to show, except where the vendor lists its chats (myscrm):
      // every other sandbox conversation is listed.
      expect(names?.sort()).toEqual([
        'airudder 7738ff156ad12075578af25c84908567',
        'airudder sandbox-long',
        'myscrm sandbox-empty',
        'myscrm sandbox-live',
        'myscrm sandbox-long',
        'myscrm sandbox-sample',
        'wechat-store 4370405345218887686',
        'wechat-store sandbox-long',
        'weizhipin open_id:sandbox-long',
      ]);
      // The vendor's listing, walked at start-up for the sandbox's employees, named every chat,
      // read or not; the store lists them by last activity (the empty and live chats' creation).
      const myscrm = await graphql(
        running.url,
        '{ conversations(first: 10, filter: {sources: ["myscrm"]}) { edges { node { externalId summary { title } } } } }',
      );
      expect(
        myscrm.data.conversations?.edges.map(({ node }) => {
          const { externalId, summary } = node as { externalId: string; summary: { title: string | null } };
          return [externalId, summary.title];
        }),
      ).toEqual([
        ['sandbox-long', '翡翠湾业主服务群'],
        ['sandbox-live', '在线看房群'],
        ['sandbox-empty', '新盘意向客户群'],
        ['sandbox-sample', '售楼处咨询群'],
      ]);
      const found = await graphql(
        running.url,
        '{ searchMessages(query: "店铺地址", first: 5) { edges { snippet } } }',
      );
      expect(found.data.searchMessages?.edges).toEqual([
        { snippet: '发个店铺地址给我有这么难吗？你们定制不是顾客都进店铺定制吗？' },
      ]);
    } finally {
      await running.close();
    }
  });
});

describe('chatgraph store', () => {
  it('migrates, reports, and purges a conversation and by age', async () => {
    const cli = io();
    expect(await main(['store', 'migrate', '--sqlite', file], cli)).toBe(0);
    expect(cli.out).toBe('The store is up to date.\n');
    const stats = io();
    expect(await main(['store', 'stats', '--sqlite', file], stats)).toBe(0);
    expect(stats.out).toMatch(/^wechat-store\s+2\s+\d+ {2}/m);
    const purged = io();
    expect(
      await main(
        ['store', 'purge', '--sqlite', file, '--conversation', 'wechat-store:4370405345218887686'],
        purged,
      ),
    ).toBe(0);
    expect(purged.out).toBe('Deleted 30 messages and 1 conversations.\n');
    const after = io();
    await main(['store', 'stats', '--sqlite', file], after);
    expect(after.out).toMatch(/^wechat-store\s+1\s+\d+ {2}/m);
    const aged = io();
    expect(await main(['store', 'purge', '--sqlite', file, '--older-than', '36500d'], aged)).toBe(0);
    expect(aged.out).toBe('Deleted 0 messages and 0 conversations.\n');
  });

  it('refuses what it cannot do, with usage and exit code 2', async () => {
    for (const args of [
      ['store'],
      ['store', 'purge', '--sqlite', file],
      ['store', 'purge', '--sqlite', file, '--conversation', 'no-colon'],
      ['store', 'purge', '--sqlite', file, '--older-than', '3w'],
      ['store', 'stats'],
      ['store', 'vacuum', '--sqlite', file],
    ]) {
      const cli = io();
      expect(await main(args, cli), args.join(' ')).toBe(2);
      expect(cli.err).toContain('Run `chatgraph store --help` for usage.');
    }
  });
});
