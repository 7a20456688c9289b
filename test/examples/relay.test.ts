/**
 * examples/relay: a `@refetchable` `@connection` fragment on a conversation's messages pages exactly
 * both ways on every sandbox source, with relay-runtime's own connection handling. The artifacts
 * are committed; this also proves they are what relay-compiler writes from the documents today.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayEnvironment, MessagesPager } from '../../examples/relay/src/paging.js';
import { encodeNodeId } from '../../src/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const ROOT = join(import.meta.dirname, '../..');

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const PAGE = 20;
const PAGES = 4;
const LONG: Array<[string, string]> = [
  ['wechat-store', 'sandbox-long'],
  ['airudder', 'sandbox-long'],
  ['weizhipin', 'open_id:sandbox-long'],
  ['myscrm', 'sandbox-long'],
];

async function reference(id: string, args: string): Promise<string[]> {
  const result = await h.query<{ conversation: { messages: { edges: Array<{ node: { id: string } }> } } }>(
    `query ($id: ID!) { conversation(id: $id) { messages(${args}) { edges { node { id } } } } }`,
    { id },
  );
  return result.data?.conversation.messages.edges.map((e) => e.node.id) ?? [];
}

const environment = () =>
  createRelayEnvironment({ url: 'http://localhost/graphql', fetch: (url, init) => h.yoga.fetch(url, init) });

describe.each(LONG)('%s %s', (source, externalId) => {
  const id = encodeNodeId({ kind: 'Conversation', source, conversation: externalId });

  it('loadNext merges older pages after the newest, exactly', async () => {
    const pager = await MessagesPager.open(environment(), id, { first: PAGE });
    for (let i = 1; i < PAGES; i++) await pager.loadNext(PAGE);
    const view = pager.read();
    expect(view.ids).toEqual(await reference(id, `first: ${PAGE * PAGES}`));
    expect(view.hasNextPage).toBe(true);
  });

  it('loadPrevious merges newer pages before the oldest, exactly', async () => {
    const pager = await MessagesPager.open(environment(), id, { last: PAGE });
    for (let i = 1; i < PAGES; i++) await pager.loadPrevious(PAGE);
    const view = pager.read();
    expect(view.ids).toEqual(await reference(id, `last: ${PAGE * PAGES}`));
    expect(view.hasPreviousPage).toBe(true);
  });
});

it('why first has no default: loadPrevious with first and last together is INVALID_ARGUMENT', async () => {
  const id = encodeNodeId({ kind: 'Conversation', source: 'myscrm', conversation: 'sandbox-long' });
  const pager = await MessagesPager.open(environment(), id, { last: PAGE });
  const { startCursor } = pager.read();
  // What Relay sends for loadPrevious when the fragment declares first: { defaultValue: 20 }.
  const result = await h.query(
    'query ($id: ID!, $before: String) { conversation(id: $id) { messages(first: 20, last: 20, before: $before) { edges { cursor } } } }',
    { id, before: startCursor },
  );
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_ARGUMENT']);
});

it('the committed artifacts are what relay-compiler writes from the documents and schema today', () => {
  // --validate: exits non-zero, writing nothing, when an artifact would change.
  const run = () =>
    execFileSync(join(ROOT, 'node_modules/.bin/relay-compiler'), ['--validate'], {
      cwd: join(ROOT, 'examples/relay'),
      stdio: 'pipe',
    });
  expect(run).not.toThrow();
});
