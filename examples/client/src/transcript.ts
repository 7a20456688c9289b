/**
 * Prints a conversation as a chat transcript, oldest message first, paging with the generated
 * client until it has `--limit` messages or the conversation's beginning.
 *
 *   npx tsx examples/client/src/transcript.ts --source wechat-store --conversation 4370405345218887686
 *   npx tsx examples/client/src/transcript.ts --id <conversation id> --limit 200 --url http://host:4000/graphql
 *
 * `--since 2023-01-01T00:00:00Z` reads beyond a source's default lookback; `CHATGRAPH_API_KEY`
 * is sent as a bearer key when the server requires one. Without `--url` it reads
 * `http://localhost:$PORT/graphql` (`PORT` as `npm start` reads it, default 4000).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { blockText, type MessageView, messageView } from './blocks.js';
import { type ConversationInfo, createClient, fetchOlderPage, type Request } from './client.js';
import { ConversationRefDocument, type MessageFilter } from './gql/graphql.js';

export interface Transcript {
  conversation: ConversationInfo;
  /** Oldest first. */
  messages: MessageView[];
  /** How many pages (GraphQL requests for messages) it took. */
  pages: number;
  /** False when `limit` stopped the reading before the conversation's beginning. */
  complete: boolean;
}

export async function readTranscript(
  request: Request,
  conversationId: string,
  options: { limit: number; pageSize: number; filter?: MessageFilter | null },
): Promise<Transcript> {
  const newestFirst: MessageView[] = [];
  let after: string | null = null;
  let pages = 0;
  let conversation: ConversationInfo | null = null;
  do {
    const page = await fetchOlderPage(request, conversationId, {
      first: Math.min(options.pageSize, options.limit - newestFirst.length),
      after,
      filter: options.filter,
    });
    pages++;
    conversation = page.conversation;
    newestFirst.push(...page.messages.map(messageView));
    after = page.olderCursor;
  } while (after !== null && newestFirst.length < options.limit);
  return { conversation, messages: newestFirst.reverse(), pages, complete: after === null };
}

/** `2026-02-03 05:20:33` (UTC) from the API's ISO instant. */
const shortTime = (iso: string): string => iso.slice(0, 19).replace('T', ' ');

export function transcriptLine(message: MessageView): string {
  // Continuation lines are indented so each message still starts a line with its time.
  const body = message.blocks.map(blockText).join(' ').replaceAll('\n', '\n                     ');
  const time = shortTime(message.sentAt);
  if (message.side === 'system') return `${time}  ${body}`;
  const quote = message.quote ? `↪ “${message.quote}” ` : '';
  const marks = [...(message.recalled ? ['recalled'] : []), ...message.notes]
    .map((note) => ` (${note})`)
    .join('');
  return `${time}  ${message.sender} [${message.role.toLowerCase()}]: ${quote}${body}${marks}`;
}

export function formatTranscript(transcript: Transcript): string[] {
  const { conversation } = transcript;
  return [
    `${conversation.vendor} ${conversation.source.name} / ${conversation.externalId}: ${transcript.messages.length} messages${transcript.complete ? '' : ' (most recent only)'}`,
    ...transcript.messages.map(transcriptLine),
  ];
}

/** `--url`, else the local server on `PORT` (as `npm start` listens), else port 4000. */
export function endpoint(url: string | undefined, env: Record<string, string | undefined>): string {
  return url ?? `http://localhost:${env.PORT || '4000'}/graphql`;
}

/** `fetch` that names the address it could not reach and why, instead of just "fetch failed". */
async function reach(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Error(`could not reach ${url} (${why}); is the API running? Pass --url or set PORT.`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      id: { type: 'string' },
      source: { type: 'string' },
      conversation: { type: 'string' },
      limit: { type: 'string', default: '50' },
      'page-size': { type: 'string', default: '20' },
      since: { type: 'string' },
    },
  });
  const apiKey = process.env.CHATGRAPH_API_KEY;
  const url = endpoint(values.url, process.env);
  const request = createClient({
    url,
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    fetch: (target, init) => reach(target, init),
  });
  let id = values.id;
  if (!id) {
    if (!values.source || !values.conversation) {
      throw new Error('Pass --id <conversation id>, or --source <name> and --conversation <external id>.');
    }
    const ref = await request(ConversationRefDocument, {
      source: values.source,
      externalId: values.conversation,
    });
    id = ref.source?.conversation?.id;
    if (!id) throw new Error(`No conversation ${values.conversation} in source ${values.source}.`);
  }
  const transcript = await readTranscript(request, id, {
    limit: Number(values.limit),
    pageSize: Number(values['page-size']),
    filter: values.since ? { since: values.since } : null,
  });
  process.stdout.write(`${formatTranscript(transcript).join('\n')}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`transcript: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
