/**
 * The sandbox serves its own media on loopback: images, audio and files the inbox can show,
 * linked as each vendor links them (AIRUDDER and myscrm: OSS links signed for an hour; WeChat Shop:
 * plain), refused when tampered with or expired, and never counted as vendor calls.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { closeApp, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { OSS_LINK_TTL_SECONDS, SANDBOX_MEDIA, serveMedia, signMediaUrls } from '../../src/sandbox/media.js';
import { createSources } from '../../src/sources/index.js';
import { type ChatgraphYoga, createChatgraphYoga } from '../../src/yoga.js';

let sandbox: Sandbox;
let app: ReturnType<typeof createApp>;
let yoga: ChatgraphYoga;
beforeAll(async () => {
  sandbox = await startSandbox({ vendors: ['WECHAT_STORE', 'AIRUDDER', 'MYSCRM'] });
  const logger = silentLogger();
  app = createApp({
    sources: createSources(sandbox.sources, { logger }),
    cursorSecret: 'media-secret-0123456789',
    logger,
  });
  yoga = createChatgraphYoga(app);
});
afterAll(async () => {
  await closeApp(app);
  await sandbox?.close();
});

interface Media {
  kind: string;
  content: { __typename: string; url?: string; expiresAt?: string | null; durationSeconds?: number | null };
}

async function mediaOf(source: string, kinds: string[]): Promise<Media[]> {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($source: String!, $kinds: [ContentKind!]) { source(name: $source) { conversation(externalId: "sandbox-long") {
        messages(first: 5, filter: { kinds: $kinds }) { edges { node { kind
          ... on WechatStoreMessage { content { __typename ... on ImageContent { url } ... on AudioContent { url } } }
          ... on AirudderMessage { content { __typename ... on ImageContent { url expiresAt } ... on FileContent { url expiresAt } } }
          ... on MyscrmMessage { content { __typename ... on ImageContent { url expiresAt } ... on FileContent { url expiresAt } } }
        } } } } } }`,
      variables: { source, kinds },
    }),
  });
  const body = (await response.json()) as {
    data: { source: { conversation: { messages: { edges: Array<{ node: Media }> } } } };
    errors?: unknown;
  };
  expect(body.errors).toBeUndefined();
  return body.data.source.conversation.messages.edges.map((e) => e.node);
}

const emulatorOf = (vendor: 'WECHAT_STORE' | 'AIRUDDER' | 'MYSCRM') => {
  const emulator = sandbox.emulators.get(vendor);
  if (!emulator) throw new Error(`no ${vendor} emulator`);
  return emulator;
};

test('AIRUDDER images are OSS links on the emulator, valid an hour, that serve a PNG', async () => {
  const before = Math.floor(Date.now() / 1000);
  const [image] = await mediaOf('airudder', ['IMAGE']);
  const after = Math.floor(Date.now() / 1000);
  const url = new URL(image?.content.url ?? '');
  expect(url.origin).toBe(emulatorOf('AIRUDDER').baseUrl);
  expect(url.pathname).toMatch(/^\/media\/oss\/airudder\//);
  expect([...url.searchParams.keys()]).toEqual(['Expires', 'OSSAccessKeyId', 'Signature']);
  const expires = Number(url.searchParams.get('Expires'));
  expect(expires).toBeGreaterThanOrEqual(before + OSS_LINK_TTL_SECONDS);
  expect(expires).toBeLessThanOrEqual(after + OSS_LINK_TTL_SECONDS);
  // The API reads the expiry off the link, as it does the vendor's.
  expect(image?.content.expiresAt).toBe(new Date(expires * 1000).toISOString());

  const calls = emulatorOf('AIRUDDER').calls.count;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/png');
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([96, 72]);
  // Media is not a vendor API call.
  expect(emulatorOf('AIRUDDER').calls.count).toBe(calls);

  const tampered = new URL(url);
  tampered.pathname = tampered.pathname.replace(/\d+\./, '999999.');
  const refused = await fetch(tampered);
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
});

test('an OSS link is refused once it has expired', () => {
  const signedAt = Date.UTC(2026, 10, 30, 5, 0);
  const text = signMediaUrls(`"${SANDBOX_MEDIA}/oss/myscrm/qw/a/1.jpg"`, 'http://127.0.0.1:1', signedAt);
  const url = new URL(JSON.parse(text) as string);
  expect(serveMedia(url, signedAt + OSS_LINK_TTL_SECONDS * 1000)?.status).toBe(200);
  const late = serveMedia(url, signedAt + OSS_LINK_TTL_SECONDS * 1000 + 1_000);
  expect(late?.status).toBe(403);
  expect(late?.body.toString()).toContain('<Code>AccessDenied</Code><Message>Request has expired.</Message>');
});

test('WeChat Shop voice is a plain link to a one-second WAV, and files are served too', async () => {
  const [voice] = await mediaOf('wechat-store', ['AUDIO']);
  const url = new URL(voice?.content.url ?? '');
  expect(url.origin).toBe(emulatorOf('WECHAT_STORE').baseUrl);
  expect(url.search).toBe('');
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('audio/wav');
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
  // 8,000 samples of 2 bytes: one second.
  expect(bytes.readUInt32LE(40)).toBe(16_000);

  const [file] = await mediaOf('myscrm', ['FILE']);
  const fileUrl = new URL(file?.content.url ?? '');
  expect(fileUrl.origin).toBe(emulatorOf('MYSCRM').baseUrl);
  expect((await fetch(fileUrl)).status).toBe(200);
});

test('keeps an image-processing parameter beside the signature', () => {
  const text = signMediaUrls(
    `"${SANDBOX_MEDIA}/oss/myscrm/qw/a/1.jpg?x-oss-process=image/resize,w_106"`,
    'http://127.0.0.1:1',
    Date.UTC(2026, 10, 30),
  );
  const url = new URL(JSON.parse(text) as string);
  expect([...url.searchParams.keys()]).toEqual(['x-oss-process', 'Expires', 'OSSAccessKeyId', 'Signature']);
  expect(url.searchParams.get('x-oss-process')).toBe('image/resize,w_106');
  expect(serveMedia(url, Date.UTC(2026, 10, 30))?.status).toBe(200);
});
