/// <reference lib="dom" />
/**
 * The /inbox page: the sources and their known conversations on the left, a conversation as a
 * chat transcript on the right, older messages loaded as the reader scrolls up. It talks to
 * /graphql with the generated example client only.
 */
import { type MessageView, messageView } from '../../../examples/client/src/blocks.js';
import { createClient, fetchOlderPage, type Request } from '../../../examples/client/src/client.js';
import { ConversationRefDocument, SourcesDocument } from '../../../examples/client/src/gql/graphql.js';
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

const $ = <T extends HTMLElement>(selector: string): T => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`The page has no ${selector}.`);
  return element;
};

function client(): Request {
  const key = sessionStorage.getItem(API_KEY_STORAGE);
  return createClient({ url: '/graphql', headers: key ? { authorization: `Bearer ${key}` } : {} });
}

async function loadSidebar(): Promise<void> {
  const sidebar = $('#sidebar');
  try {
    const [{ sources }, known] = await Promise.all([
      client()(SourcesDocument),
      fetch('/inbox/conversations.json').then((r) => r.json() as Promise<KnownConversation[]>),
    ]);
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
    sidebar.replaceChildren(
      ...sources.flatMap((source) => [
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

/** One open conversation: its messages (oldest first) and the cursor toward older ones. */
class TranscriptView {
  readonly #request = client();
  readonly #messages: MessageView[] = [];
  #olderCursor: string | null = null;
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
  }

  async start(): Promise<void> {
    await this.#load(FIRST_PAGE, null);
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    await this.#fill();
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
      if (after === null) this.#header(page.conversation);
      this.#olderCursor = page.olderCursor;
      const older = page.messages.map(messageView).reverse();
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
