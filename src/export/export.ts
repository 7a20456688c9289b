/**
 * `chatgraph export`: a whole conversation to a file, read through the GraphQL API like any
 * client, newest page first (the direction every source pages cheaply), written oldest first.
 *
 * Resumable: each page is appended to `<out>.part` and then `<out>.export-state.json` records the
 * page's end cursor and the part file's length, replaced atomically. After an interrupt the part
 * file is cut back to that length (a page appended but not recorded is read again) and the walk
 * continues from the cursor, so every message is written once. A page that fails with a vendor
 * fault is asked again with the same arguments, a bounded number of times.
 */
import { open, readFile, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { VENDOR_FAULT_CODES } from '../errors.js';
import { type ExportedMessage, type ExportFormat, formatter } from './formats.js';

const EXPORT_PAGE = /* GraphQL */ `
  query ExportPage($source: String!, $conversation: String!, $first: Int!, $after: String, $filter: MessageFilter) {
    source(name: $source) {
      conversation(externalId: $conversation) {
        messages(first: $first, after: $after, filter: $filter) {
          edges {
            node {
              id
              externalId
              sentAt
              kind
              recalled
              text
              sender { role externalId displayName }
              raw
            }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`;

export interface ExportProgress {
  messages: number;
  pages: number;
  /** Pages asked again after a vendor fault. */
  retries: number;
}

export interface ExportOptions {
  /** The API in-process (`yoga.fetch`) or over HTTP. */
  fetch: (url: string, init: RequestInit) => Response | Promise<Response>;
  url?: string;
  source: string;
  conversation: string;
  since?: string;
  until?: string;
  format: ExportFormat;
  out: string;
  pageSize?: number;
  /** How many times one page is asked before the export stops (resumable). */
  attemptsPerPage?: number;
  /** Before asking a failed page again; attempt counts from 1. */
  backoff?: (attempt: number) => Promise<void>;
  onProgress?: (progress: ExportProgress) => void;
  /** Stops between pages; the export can be resumed. */
  signal?: AbortSignal;
}

export interface ExportResult extends ExportProgress {
  /** False when stopped by the signal: run again to resume. */
  complete: boolean;
  /** Continued from an earlier, interrupted export. */
  resumed: boolean;
}

/** A typed reason the export stopped; what was read so far stays resumable. */
export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface ExportState {
  version: 1;
  source: string;
  conversation: string;
  since: string | null;
  until: string | null;
  cursor: string | null;
  partBytes: number;
  messages: number;
  pages: number;
}

export const statePath = (out: string) => `${out}.export-state.json`;
export const partPath = (out: string) => `${out}.part`;

async function readState(out: string): Promise<ExportState | null> {
  try {
    return JSON.parse(await readFile(statePath(out), 'utf8')) as ExportState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function writeState(out: string, state: ExportState): Promise<void> {
  const temporary = `${statePath(out)}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, statePath(out));
}

interface PageResult {
  messages: ExportedMessage[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface GraphQLBody {
  data?: {
    source: {
      conversation: {
        messages: {
          edges: Array<{ node: ExportedMessage }>;
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      } | null;
    } | null;
  } | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function fetchPage(options: ExportOptions, after: string | null): Promise<PageResult> {
  const filter =
    options.since || options.until
      ? {
          ...(options.since ? { since: options.since } : {}),
          ...(options.until ? { until: options.until } : {}),
        }
      : null;
  const response = await options.fetch(options.url ?? 'http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query: EXPORT_PAGE,
      variables: {
        source: options.source,
        conversation: options.conversation,
        first: options.pageSize ?? 100,
        after,
        filter,
      },
    }),
    signal: options.signal,
  });
  const body = (await response.json()) as GraphQLBody;
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ExportError(
      first?.message ?? 'unknown error',
      first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
    );
  }
  if (!body.data?.source) throw new ExportError(`No source named "${options.source}".`, 'UNKNOWN_SOURCE');
  const conversation = body.data.source.conversation;
  if (!conversation) {
    throw new ExportError(`No conversation "${options.conversation}" in ${options.source}.`, 'NOT_FOUND');
  }
  const { edges, pageInfo } = conversation.messages;
  return {
    messages: edges.map((e) => e.node),
    endCursor: pageInfo.endCursor,
    hasNextPage: pageInfo.hasNextPage,
  };
}

export async function exportConversation(options: ExportOptions): Promise<ExportResult> {
  const { out } = options;
  const attempts = options.attemptsPerPage ?? 8;
  const wanted = {
    source: options.source,
    conversation: options.conversation,
    since: options.since ?? null,
    until: options.until ?? null,
  };
  let state = await readState(out);
  const resumed = state !== null;
  if (state) {
    for (const key of ['source', 'conversation', 'since', 'until'] as const) {
      if (state[key] !== wanted[key]) {
        throw new ExportError(
          `${statePath(out)} is an unfinished export of another ${key} (${state[key]}); remove it or choose another --out.`,
          'INVALID_ARGUMENT',
        );
      }
    }
    // A page appended after the last recorded state is dropped: it will be read again.
    await truncate(partPath(out), state.partBytes);
  } else {
    state = { version: 1, ...wanted, cursor: null, partBytes: 0, messages: 0, pages: 0 };
    await writeFile(partPath(out), '');
    await writeState(out, state);
  }

  const progress: ExportProgress = { messages: state.messages, pages: state.pages, retries: 0 };
  let more = state.pages === 0 || state.cursor !== null;
  while (more) {
    if (options.signal?.aborted) return { ...progress, complete: false, resumed };
    let page: PageResult | undefined;
    for (let attempt = 1; !page; attempt++) {
      try {
        page = await fetchPage(options, state.cursor);
      } catch (error) {
        // Interrupted mid-page: what is recorded stays consistent, and the page is read on resume.
        if (options.signal?.aborted) return { ...progress, complete: false, resumed };
        const retryable = error instanceof ExportError && VENDOR_FAULT_CODES.has(error.code);
        if (!retryable || attempt >= attempts) throw error;
        progress.retries++;
        await options.backoff?.(attempt);
      }
    }
    const lines = page.messages.map((m) => `${JSON.stringify(m)}\n`).join('');
    const file = await open(partPath(out), 'a');
    try {
      await file.write(lines);
      await file.sync();
    } finally {
      await file.close();
    }
    progress.messages += page.messages.length;
    progress.pages++;
    more = page.hasNextPage && page.endCursor !== null;
    state = {
      ...state,
      cursor: more ? page.endCursor : null,
      partBytes: (await stat(partPath(out))).size,
      messages: progress.messages,
      pages: progress.pages,
    };
    await writeState(out, state);
    options.onProgress?.({ ...progress });
  }

  await writeFinal(options, progress.messages);
  await rm(partPath(out));
  await rm(statePath(out));
  return { ...progress, complete: true, resumed };
}

/** The part file (newest first) as the asked-for format, oldest first; ids checked unique. */
async function writeFinal(options: ExportOptions, expected: number): Promise<void> {
  const text = await readFile(partPath(options.out), 'utf8');
  const messages = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExportedMessage)
    .reverse();
  const ids = new Set(messages.map((m) => m.id));
  if (ids.size !== messages.length || messages.length !== expected) {
    throw new ExportError(
      `${partPath(options.out)} holds ${messages.length} messages (${ids.size} distinct), ${expected} were read; remove it and ${statePath(options.out)} to start over.`,
      'INTERNAL_SERVER_ERROR',
    );
  }
  const format = formatter(options.format, `${options.source} / ${options.conversation}`);
  const temporary = `${options.out}.tmp`;
  await writeFile(temporary, format.head + messages.map(format.row).join('') + format.tail);
  await rename(temporary, options.out);
}
