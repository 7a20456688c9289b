/// <reference lib="dom" />
/**
 * The /inbox page: on the left the conversations the store has seen, most recent activity first,
 * refreshed whenever the store's listing changes (the server primes and lists at start-up, and
 * records new activity as it passes; without a store, the sources and the conversations the app
 * knows); on the right a
 * conversation as a chat transcript, older messages loaded as the reader scrolls up and new ones
 * appended as they arrive (`messageAdded` over SSE). It talks to /graphql with the generated
 * example client only.
 */
import { type MessageView, messageView } from '../../../examples/client/src/blocks.js';
import {
  ChatgraphRequestError,
  createClient,
  fetchOlderPage,
  type Request,
  subscribe,
} from '../../../examples/client/src/client.js';
import {
  ConversationListDocument,
  type ConversationListQuery,
  ConversationRefDocument,
  MessageAddedDocument,
  SourcesDocument,
} from '../../../examples/client/src/gql/graphql.js';
import { el, renderMessage } from './render.js';

/** What `/inbox/conversations.json` lists (see src/plugins/use-inbox.ts). */
interface KnownConversation {
  id: string;
  source: string;
  externalId: string;
  description: string;
}

const FIRST_PAGE = 30;
const OLDER_PAGE = 20;
/** Start loading older messages when the reader is this close to the top. */
const LOAD_MARGIN_PX = 150;
const API_KEY_STORAGE = 'chatgraph-inbox-api-key';
/** Conversations listed per page of the store's listing. */
const LIST_PAGE = 50;
/** How long to wait before subscribing again after the live stream broke. */
const LIVE_RETRY_MS = 3_000;

type Listed = ConversationListQuery['conversations']['edges'][number]['node'];

const $ = <T extends HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector}.`);
  return element;
};

function authHeaders(): Record<string, string> {
  const key = sessionStorage.getItem(API_KEY_STORAGE);
  return key ? { authorization: `Bearer ${key}` } : {};
}

function client(): Request {
  return createClient({ url: '/graphql', headers: authHeaders() });
}

/** The store's first page of conversations; null when the server has no store. */
async function storeListing(request: Request): Promise<ConversationListQuery['conversations'] | null> {
  try {
    return (await request(ConversationListDocument, { first: LIST_PAGE, after: null })).conversations;
  } catch (error) {
    if (
      error instanceof ChatgraphRequestError &&
      error.errors.some((e) => e.extensions?.code === 'STORE_NOT_CONFIGURED')
    ) {
      return null;
    }
    throw error;
  }
}

const ACTIVITY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function listedLink(conversation: Listed): HTMLElement {
  const summary = conversation.summary;
  return el(
    'a',
    {
      class: 'conversation-link',
      href: `#${encodeURIComponent(conversation.id)}`,
      'data-id': conversation.id,
      'data-source': conversation.source.name,
    },
    el('strong', {}, summary?.title ?? conversation.externalId),
    el(
      'small',
      { class: 'activity' },
      conversation.source.name,
      summary &&
        el(
          'time',
          { datetime: summary.lastActivityAt, title: summary.lastActivityAt },
          ` · ${ACTIVITY.format(new Date(summary.lastActivityAt))}`,
        ),
    ),
    summary?.preview && el('small', { class: 'preview' }, summary.preview),
  );
}

/** The store's conversations, most recent activity first, a page at a time. */
function recentList(request: Request, first: ConversationListQuery['conversations']): HTMLElement[] {
  const list = el('div', { id: 'recent' }, ...first.edges.map((edge) => listedLink(edge.node)));
  const more = el('button', { type: 'button', class: 'more' }, 'More conversations');
  let after = first.pageInfo.hasNextPage ? first.pageInfo.endCursor : null;
  more.hidden = after === null;
  more.addEventListener('click', async () => {
    if (after === null) return;
    more.setAttribute('disabled', '');
    try {
      const page = (await request(ConversationListDocument, { first: LIST_PAGE, after })).conversations;
      list.append(...page.edges.map((edge) => listedLink(edge.node)));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      more.hidden = after === null;
      markSelected();
    } catch (error) {
      more.replaceWith(el('div', { class: 'error' }, (error as Error).message));
    } finally {
      more.removeAttribute('disabled');
    }
  });
  return [
    el('h2', {}, 'Recent activity'),
    first.edges.length === 0
      ? el('p', { class: 'muted' }, 'The store has seen no conversation yet: open one below.')
      : list,
    more,
  ];
}

/** The store listing's version: `after` waits until it is above that (null: there is no store). */
async function listingVersion(after: number | null, signal?: AbortSignal): Promise<number | null> {
  const query = after === null ? '' : `?after=${after}`;
  const response = await fetch(`/inbox/listing-version.json${query}`, { signal: signal ?? null });
  if (!response.ok) throw new Error(`The listing's version: HTTP ${response.status}.`);
  return ((await response.json()) as { version: number | null }).version;
}

/** Ends the sidebar's following of the listing when the sidebar is loaded again. */
let following = new AbortController();

/**
 * Reloads the listing's first page each time the store's listing changes, from `version` (read
 * before the shown page was), so a change made while it loaded is not missed.
 */
async function followListing(request: Request, version: number, signal: AbortSignal): Promise<void> {
  let seen = version;
  while (!signal.aborted) {
    try {
      const next = await listingVersion(seen, signal);
      if (next === null || signal.aborted) return;
      if (next === seen) continue;
      seen = next;
      const listing = await storeListing(request);
      if (!listing || signal.aborted) return;
      const recent = document.querySelector('#recent-section');
      recent?.replaceChildren(...recentList(request, listing));
      recent?.setAttribute('data-version', String(seen));
      markSelected();
    } catch {
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, LIVE_RETRY_MS));
    }
  }
}

async function loadSidebar(): Promise<void> {
  const sidebar = $('#sidebar');
  following.abort();
  following = new AbortController();
  const { signal } = following;
  try {
    const request = client();
    const version = await listingVersion(null).catch(() => null);
    const [{ sources }, listing] = await Promise.all([request(SourcesDocument), storeListing(request)]);
    // Without a store, the conversations the app knows (the sandbox's), by source.
    const known = listing
      ? []
      : await fetch('/inbox/conversations.json').then((r) => r.json() as Promise<KnownConversation[]>);
    const select = el(
      'select',
      { name: 'source', 'aria-label': 'Source' },
      ...sources.map((s) => el('option', { value: s.name }, s.name)),
    );
    const input = el('input', {
      name: 'externalId',
      placeholder: 'external id',
      'aria-label': 'External id',
      required: '',
    });
    const form = el('form', { class: 'open-form' }, select, input, el('button', { type: 'submit' }, 'Open'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void openByExternalId((select as HTMLSelectElement).value, (input as HTMLInputElement).value.trim());
    });
    sidebar.dataset.listing = listing ? 'store' : 'known';
    sidebar.replaceChildren(
      ...(listing
        ? [
            el(
              'section',
              { id: 'recent-section', 'data-version': String(version) },
              ...recentList(request, listing),
            ),
          ]
        : []),
      ...(listing ? [] : sources).flatMap((source) => [
        el('h2', {}, source.name, ' ', el('span', { class: 'vendor' }, source.vendor)),
        ...known
          .filter((c) => c.source === source.name)
          .map((c) =>
            el(
              'a',
              { class: 'conversation-link', href: `#${encodeURIComponent(c.id)}`, 'data-id': c.id },
              el('strong', {}, c.externalId),
              el('small', {}, c.description),
            ),
          ),
      ]),
      el('h2', {}, 'Open by external id'),
      form,
    );
    markSelected();
    if (listing && version !== null) void followListing(request, version, signal);
  } catch (error) {
    sidebar.replaceChildren(
      el('div', { class: 'error' }, `Could not list the sources: ${(error as Error).message}`),
    );
  }
}

async function openByExternalId(source: string, externalId: string): Promise<void> {
  if (!externalId) return;
  try {
    const data = await client()(ConversationRefDocument, { source, externalId });
    const id = data.source?.conversation?.id;
    if (id) location.hash = encodeURIComponent(id);
  } catch (error) {
    showError((error as Error).message);
  }
}

function showError(message: string): void {
  $('#conversation').prepend(el('div', { class: 'error', role: 'alert' }, message));
}

function markSelected(): void {
  const current = currentId();
  for (const link of document.querySelectorAll<HTMLElement>('.conversation-link')) {
    link.classList.toggle('selected', link.dataset.id === current);
  }
}

const currentId = (): string | null =>
  location.hash.length > 1 ? decodeURIComponent(location.hash.slice(1)) : null;

/**
 * One open conversation: its messages (oldest first), the cursor toward older ones and the one
 * new messages follow.
 */
class TranscriptView {
  readonly #request = client();
  readonly #messages: MessageView[] = [];
  /** The shown messages' ids: a message arriving twice (e.g. on a resubscription) shows once. */
  readonly #shown = new Set<string>();
  #olderCursor: string | null = null;
  /** The newest message's cursor: `messageAdded` delivers what follows it. */
  #newestCursor: string | null = null;
  readonly #live = new AbortController();
  #loading = false;
  #closed = false;
  readonly #scroller: HTMLElement;
  readonly #list: HTMLElement;
  readonly #status: HTMLElement;

  constructor(
    readonly id: string,
    pane: HTMLElement,
  ) {
    this.#status = el('div', { id: 'older-status' });
    this.#list = el('ol', { id: 'messages' });
    this.#scroller = el('div', { id: 'transcript', 'data-state': 'loading' }, this.#status, this.#list);
    pane.replaceChildren(
      el('div', { class: 'conversation-header' }, el('h2', {}, 'Loading…')),
      this.#scroller,
    );
    this.#scroller.addEventListener('scroll', () => {
      if (this.#scroller.scrollTop < LOAD_MARGIN_PX) void this.loadOlder();
    });
  }

  close(): void {
    this.#closed = true;
    this.#live.abort();
  }

  async start(): Promise<void> {
    await this.#load(FIRST_PAGE, null);
    if (this.#closed || this.#scroller.dataset.state === 'error') return;
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    void this.#follow();
    await this.#fill();
  }

  /**
   * Appends new messages as they arrive, from the newest one shown, so none is missed between
   * the first page and the subscription. A broken stream is resumed from the last cursor
   * received; a refusal (e.g. a source that cannot be followed) ends following.
   */
  async #follow(): Promise<void> {
    while (!this.#closed) {
      this.#scroller.dataset.live = 'connecting';
      try {
        const events = subscribe(
          {
            url: '/graphql',
            headers: authHeaders(),
            signal: this.#live.signal,
            onOpen: () => {
              this.#scroller.dataset.live = 'on';
            },
          },
          MessageAddedDocument,
          { id: this.id, after: this.#newestCursor },
        );
        for await (const { messageAdded } of events) {
          if (this.#closed) return;
          this.#newestCursor = messageAdded.cursor;
          this.#append(messageView(messageAdded.node));
        }
      } catch (error) {
        if (this.#closed) return;
        if (error instanceof ChatgraphRequestError) {
          this.#scroller.dataset.live = 'off';
          this.#list.after(
            el('div', { class: 'live-status muted' }, `Not following new messages: ${error.message}`),
          );
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, LIVE_RETRY_MS));
    }
  }

  /** A new message goes below the shown ones; the view follows it if the reader was at the bottom. */
  #append(message: MessageView): void {
    if (this.#shown.has(message.id)) return;
    const atBottom =
      this.#scroller.scrollHeight - this.#scroller.scrollTop - this.#scroller.clientHeight < LOAD_MARGIN_PX;
    const previous = this.#messages.at(-1);
    this.#messages.push(message);
    this.#shown.add(message.id);
    const day = localDay(message.sentAt);
    if (!previous || localDay(previous.sentAt) !== day) this.#list.append(el('li', { class: 'day' }, day));
    this.#list.append(renderMessage(message));
    this.#scroller.dataset.count = String(this.#messages.length);
    if (atBottom) this.#scroller.scrollTop = this.#scroller.scrollHeight;
  }

  async loadOlder(): Promise<void> {
    if (this.#loading || this.#olderCursor === null) return;
    await this.#load(OLDER_PAGE, this.#olderCursor);
    await this.#fill();
  }

  /** A first page shorter than the pane cannot be scrolled: keep loading until it can. */
  async #fill(): Promise<void> {
    while (
      !this.#closed &&
      this.#olderCursor !== null &&
      this.#scroller.scrollHeight <= this.#scroller.clientHeight
    ) {
      await this.#load(OLDER_PAGE, this.#olderCursor);
    }
  }

  async #load(first: number, after: string | null): Promise<void> {
    this.#loading = true;
    this.#setState('loading');
    try {
      const page = await fetchOlderPage(this.#request, this.id, { first, after });
      if (this.#closed) return;
      if (after === null) {
        this.#header(page.conversation);
        this.#newestCursor = page.newestCursor;
      }
      this.#olderCursor = page.olderCursor;
      const older = page.messages
        .map(messageView)
        .reverse()
        .filter((message) => !this.#shown.has(message.id));
      for (const message of older) this.#shown.add(message.id);
      this.#messages.unshift(...older);
      // Keep what the reader was looking at in place while older messages arrive above it.
      const fromBottom = this.#scroller.scrollHeight - this.#scroller.scrollTop;
      this.#prepend(older);
      this.#scroller.scrollTop = this.#scroller.scrollHeight - fromBottom;
      this.#setState(this.#olderCursor === null ? 'complete' : 'idle');
    } catch (error) {
      this.#setState('error');
      this.#status.replaceChildren(el('div', { class: 'error', role: 'alert' }, (error as Error).message));
    } finally {
      this.#loading = false;
    }
  }

  #header(conversation: Awaited<ReturnType<typeof fetchOlderPage>>['conversation']): void {
    const lookback = conversation.source.capabilities.defaultLookbackSeconds;
    this.#scroller.previousElementSibling?.replaceWith(
      el(
        'div',
        { class: 'conversation-header' },
        el('h2', {}, conversation.externalId),
        el(
          'p',
          {},
          `${conversation.vendor} · source ${conversation.source.name}`,
          lookback
            ? ` · messages of the last ${Math.round(lookback / 86_400)} days (the source's default lookback)`
            : '',
        ),
      ),
    );
  }

  /**
   * Older messages go above the shown ones, which are left as they are: re-made, an image would
   * load again and an audio being played would stop each time the reader scrolls up.
   */
  #prepend(older: MessageView[]): void {
    const items: HTMLElement[] = [];
    let day = '';
    for (const message of older) {
      // The reader's calendar day, as the times beside each message are the reader's clock.
      const messageDay = localDay(message.sentAt);
      if (messageDay !== day) {
        day = messageDay;
        items.push(el('li', { class: 'day' }, day));
      }
      items.push(renderMessage(message));
    }
    // The shown messages' first day heading moves up when the older ones end on that day.
    const first = this.#list.firstElementChild;
    if (first?.classList.contains('day') && first.textContent === day) first.remove();
    this.#list.prepend(...items);
    this.#scroller.dataset.count = String(this.#messages.length);
  }

  #setState(state: 'loading' | 'idle' | 'complete' | 'error'): void {
    this.#scroller.dataset.state = state;
    if (state === 'loading') this.#status.textContent = 'Loading older messages…';
    else if (state === 'complete') {
      this.#status.textContent =
        this.#messages.length === 0 ? 'No messages.' : 'The beginning of the conversation.';
    } else if (state === 'idle') {
      const button = el('button', { type: 'button' }, 'Load older messages');
      button.addEventListener('click', () => void this.loadOlder());
      this.#status.replaceChildren('Scroll up for older messages · ', button);
    }
  }
}

let open: TranscriptView | null = null;

function route(): void {
  markSelected();
  const id = currentId();
  open?.close();
  open = null;
  if (!id) return;
  open = new TranscriptView(id, $('#conversation'));
  void open.start();
}

function setUpApiKey(): void {
  $('#api-key-form').addEventListener('submit', (event) => event.preventDefault());
  const input = $<HTMLInputElement>('#api-key');
  input.value = sessionStorage.getItem(API_KEY_STORAGE) ?? '';
  input.addEventListener('change', () => {
    if (input.value) sessionStorage.setItem(API_KEY_STORAGE, input.value);
    else sessionStorage.removeItem(API_KEY_STORAGE);
    void loadSidebar();
    route();
  });
}

setUpApiKey();
window.addEventListener('hashchange', route);
void loadSidebar();
route();

/** `2026-02-03` in the viewer's time zone for an ISO instant. */
function localDay(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
