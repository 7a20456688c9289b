/**
 * A toy fifth vendor, test-only: a tiny HTTP emulator (bearer token, pages toward older messages
 * by message id, an inclusive or exclusive anchor) and a `VendorDefinition` with its own GraphQL
 * types. It proves that a vendor is one folder plus one registration: tests pass
 * `[...VENDORS, toy]` to `createSchema` / `createApp` / `startSandbox` / `parseConfig`.
 */
import { z } from 'zod';
import { baseSourceConfig } from '../../../src/config/secret.js';
import { ChatgraphError, ERROR_CODES } from '../../../src/errors.js';
import type { Message, Position } from '../../../src/model/index.js';
import { startEmulator } from '../../../src/sandbox/server.js';
import type { RequestScope } from '../../../src/sources/request-scope.js';
import {
  type PageLoader,
  PROBE_CONVERSATION,
  probeWith,
  type ReadRequest,
  type ReadResult,
  type Source,
  type SourceCapabilities,
} from '../../../src/sources/source.js';
import { checkExternalId, type VendorDefinition } from '../../../src/sources/vendor.js';

export const TOY_VENDOR = 'TOY';
const MAX_PAGE = 20;
const SANDBOX_TOKEN = 'toy-sandbox-token';

export interface ToySourceConfig {
  vendor: typeof TOY_VENDOR;
  name: string;
  baseUrl: string;
  token: string;
}

/** One vendor call: the page after `anchor` (null: the newest), toward older messages. */
interface ToyRequest {
  conversation: string;
  anchor: string | null;
  limit: number;
}

/** A record as the toy vendor sends it. */
const ToyRecord = z.object({ id: z.string(), at: z.number(), from: z.string(), text: z.string() });
const ToyPage = z.object({ messages: z.array(ToyRecord) });

export type ToyMessage = Message & { from: string };

/** The toy's conversations: id → records, newest first. */
export function toyHistory(): Map<string, Array<z.infer<typeof ToyRecord>>> {
  const at = Date.UTC(2026, 0, 10);
  const records = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, i) => ({
      // Pairs of equal times: ties are in the vendor's own order.
      id: `${prefix}-${count - i}`,
      at: at - Math.floor(i / 2) * 60_000,
      from: i % 3 === 0 ? 'agent' : 'customer',
      text: `${prefix} message ${count - i}`,
    }));
  return new Map([
    ['toy-short', records(7, 'short')],
    ['toy-long', records(57, 'long')],
    ['toy-empty', []],
  ]);
}

class ToySource implements Source<ToyRequest, ToyMessage[]> {
  readonly vendor = TOY_VENDOR;
  readonly name: string;
  readonly capabilities: SourceCapabilities = {
    olderPaging: 'NATIVE',
    newerPaging: 'SCAN',
    vendorMaxPageSize: MAX_PAGE,
    filters: { timeRange: 'GATEWAY', senderRoles: 'GATEWAY', kinds: 'GATEWAY', text: 'GATEWAY' },
    timeOrdered: true,
    resumesAtMessage: true,
    retentionSeconds: null,
    defaultLookbackSeconds: null,
    notes: ['A test-only vendor.'],
  };
  readonly #config: ToySourceConfig;

  constructor(config: ToySourceConfig) {
    this.name = config.name;
    this.#config = config;
  }

  conversationId(externalId: string): string {
    return checkExternalId(externalId);
  }

  pageKey(request: ToyRequest): string {
    return JSON.stringify([request.conversation, request.anchor, request.limit]);
  }

  async fetchPage(request: ToyRequest, scope?: RequestScope): Promise<ToyMessage[]> {
    const url = new URL('/messages', this.#config.baseUrl);
    url.searchParams.set('conversation', request.conversation);
    url.searchParams.set('limit', String(request.limit));
    if (request.anchor !== null) url.searchParams.set('after', request.anchor);
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.#config.token}` },
      signal: scope?.signal,
    });
    if (response.status === 401) {
      throw new ChatgraphError(ERROR_CODES.VENDOR_AUTH_FAILED, `Source "${this.name}" refused the token.`, {
        source: this.name,
      });
    }
    const parsed = ToyPage.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !parsed.success) {
      throw new ChatgraphError(
        ERROR_CODES.VENDOR_BAD_RESPONSE,
        `Source "${this.name}" sent a page it could not read.`,
        {
          source: this.name,
        },
      );
    }
    return parsed.data.messages.map((record) => ({
      vendor: TOY_VENDOR,
      source: this.name,
      conversation: request.conversation,
      externalId: record.id,
      sentAt: record.at,
      sender: {
        role: record.from === 'agent' ? 'AGENT' : 'CUSTOMER',
        externalId: record.from,
        displayName: null,
        avatarUrl: null,
      },
      kind: 'TEXT',
      text: record.text,
      recalled: false,
      content: { __typename: 'TextContent', text: record.text } as Message['content'],
      raw: record,
      from: record.from,
    }));
  }

  async read(pages: PageLoader<ToyRequest, ToyMessage[]>, request: ReadRequest): Promise<ReadResult> {
    const anchor = (request.continuation as string | undefined) ?? request.from?.id ?? null;
    const messages = await pages.load({
      conversation: request.conversation,
      anchor: anchor === '' ? null : anchor,
      limit: Math.min(MAX_PAGE, request.limit),
    });
    const last = messages.at(-1);
    return { messages, continuation: last ? last.externalId : null };
  }

  async find(
    pages: PageLoader<ToyRequest, ToyMessage[]>,
    conversation: string,
    position: Position,
  ): Promise<ToyMessage | null> {
    for (let anchor: string | null = null; ; ) {
      const page = await pages.load({ conversation, anchor, limit: MAX_PAGE });
      const found = page.find((message) => message.externalId === position.id);
      if (found) return found;
      const last = page.at(-1);
      if (!last || last.sentAt < position.t) return null;
      anchor = last.externalId;
    }
  }

  probe(scope?: RequestScope): Promise<void> {
    return probeWith(() =>
      this.fetchPage({ conversation: PROBE_CONVERSATION, anchor: null, limit: 1 }, scope),
    );
  }

  async close(): Promise<void> {}
}

/** The toy's emulator: `GET /messages?conversation&limit&after`, a bearer token. */
function toyEmulator(options: { token: string; inclusiveAnchor: boolean }) {
  const history = toyHistory();
  return startEmulator((request) => {
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      return { status: 401, body: { error: 'bad token' } };
    }
    const list = history.get(request.url.searchParams.get('conversation') ?? '') ?? [];
    const limit = Math.min(MAX_PAGE, Number(request.url.searchParams.get('limit') ?? MAX_PAGE));
    const after = request.url.searchParams.get('after');
    let start = 0;
    if (after !== null) {
      const at = list.findIndex((record) => record.id === after);
      start = at < 0 ? list.length : options.inclusiveAnchor ? at : at + 1;
    }
    return { status: 200, body: { messages: list.slice(start, start + limit) } };
  });
}

export const toy: VendorDefinition<ToySourceConfig, { anchor: 'exclusive' | 'inclusive' }> = {
  id: TOY_VENDOR,
  typenames: { conversation: 'ToyConversation', message: 'ToyMessage' },
  documents: ['test/helpers/toy-vendor/index.ts'],
  secretFields: ['token'],
  configSchema: (secret) =>
    z.strictObject({ vendor: z.literal(TOY_VENDOR), ...baseSourceConfig, token: secret }) as never,
  createSource: (config) => new ToySource(config),
  graphql(kit) {
    kit.conversationType('A conversation of the toy vendor.');
    const ToyContent = kit.contentUnion('ToyContent', 'What a toy message holds.', [
      kit.content.TextContentRef,
      kit.content.UnsupportedContentRef,
    ]);
    kit.messageType<ToyMessage>({
      description: 'A message of the toy vendor.',
      fields: (t) => ({
        content: t.field({ type: ToyContent, resolve: (message) => message.content }),
        from: t.exposeString('from', { description: 'Who sent it, as the toy vendor names them.' }),
      }),
    });
  },
  sandbox: {
    quirks: z.strictObject({
      anchor: z.enum(['exclusive', 'inclusive']).default('exclusive'),
    }),
    conversations: [
      { externalId: 'toy-short', description: '7 messages' },
      { externalId: 'toy-long', description: '57 messages, times in pairs' },
      { externalId: 'toy-empty', description: 'no messages' },
    ],
    async start({ name, quirks }) {
      const emulator = await toyEmulator({
        token: SANDBOX_TOKEN,
        inclusiveAnchor: quirks.anchor === 'inclusive',
      });
      return {
        emulator,
        config: { vendor: TOY_VENDOR, name, baseUrl: emulator.baseUrl, token: SANDBOX_TOKEN },
      };
    },
  },
  bench: {
    longConversation: 'toy-long',
    contentSelection: '... on TextContent { text }',
    directHeaders: async (config) => ({ authorization: `Bearer ${config.token}` }),
    normalizeAnswer: () => [],
  },
};
