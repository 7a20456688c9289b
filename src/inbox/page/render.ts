/// <reference lib="dom" />
/**
 * Display blocks (see examples/client/src/blocks.ts) as DOM, the way a chat app shows them.
 * Everything from the API is set as text or as an attribute, never as HTML.
 */
import {
  type Action,
  type Block,
  formatBytes,
  formatDuration,
  type Inline,
  type MessageView,
} from '../../../examples/client/src/blocks.js';

type Child = Node | string | null | false | undefined;

export function el(
  tag: string,
  attributes: Record<string, string | null | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== false && child !== undefined) element.append(child);
  }
  return element;
}

/** Only web links become hrefs: a vendor payload must not smuggle in `javascript:`. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return ['http:', 'https:', 'tel:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function renderMessage(message: MessageView): HTMLElement {
  const time = el(
    'time',
    { datetime: message.sentAt, title: message.sentAt },
    TIME.format(new Date(message.sentAt)),
  );
  const classes = ['message', message.side, message.recalled ? 'recalled' : ''].filter(Boolean).join(' ');
  if (message.side === 'system') {
    return el(
      'li',
      { class: classes, 'data-id': message.id },
      ...message.blocks.map((block) =>
        block.type === 'notice' ? el('div', { class: 'notice' }, block.text) : renderBlock(block),
      ),
      time,
    );
  }
  const notes = [
    ...message.notes.map((note) =>
      el('span', { class: note.startsWith('rule hit') ? 'rule' : 'note' }, note),
    ),
  ];
  return el(
    'li',
    { class: classes, 'data-id': message.id },
    el(
      'div',
      { class: 'meta' },
      el('span', { class: 'sender' }, message.sender),
      el('span', { class: 'role' }, message.role),
      time,
    ),
    el(
      'div',
      { class: 'bubble' },
      message.recalled && el('span', { class: 'recalled-badge' }, 'Recalled by the sender'),
      message.quote && el('div', { class: 'quote' }, message.quote),
      ...message.blocks.map(renderBlock),
    ),
    notes.length > 0 && el('div', { class: 'notes' }, ...joinWith(notes, ' · ')),
  );
}

function joinWith(nodes: Node[], separator: string): Child[] {
  return nodes.flatMap((node, index) => (index === 0 ? [node] : [separator, node]));
}

export function renderBlock(block: Block): HTMLElement {
  switch (block.type) {
    case 'text':
      return el('p', { class: 'text' }, block.text);
    case 'rich-text':
      return el(
        'div',
        { class: 'rich-text' },
        block.title && el('strong', {}, block.title),
        ...block.paragraphs.map((paragraph) => el('p', {}, ...paragraph.map(renderInline))),
      );
    case 'image': {
      if (block.imageKey) {
        return el(
          'div',
          { class: 'image' },
          missingMedia(`Image ${block.imageKey}\n(the vendor serves it by key)`),
        );
      }
      const src = safeUrl(block.thumbnailUrl ?? block.url);
      const img = src
        ? el('img', {
            src,
            alt: block.sticker ? 'sticker' : 'image',
            loading: 'lazy',
            width: block.width ? String(Math.min(block.width, 240)) : null,
          })
        : missingMedia('Image without a link');
      // A link that expired (or a vendor CDN this browser cannot reach) shows a frame, not a broken icon.
      img.addEventListener(
        'error',
        () => img.replaceWith(missingMedia(block.sticker ? 'Sticker unavailable' : 'Image unavailable')),
        {
          once: true,
        },
      );
      const href = safeUrl(block.url);
      return el(
        href ? 'a' : 'div',
        {
          class: block.sticker ? 'image sticker' : 'image',
          href,
          target: href ? '_blank' : null,
          rel: 'noreferrer',
        },
        img,
      );
    }
    case 'video': {
      const src = safeUrl(block.url);
      return el(
        'div',
        { class: 'video' },
        src
          ? el('video', { src, poster: safeUrl(block.thumbnailUrl), controls: '', preload: 'none' })
          : missingMedia('Video without a link'),
        el(
          'div',
          { class: 'media-caption' },
          `Video${block.durationSeconds !== null ? ` · ${formatDuration(block.durationSeconds)}` : ''}`,
        ),
      );
    }
    case 'audio': {
      const src = safeUrl(block.url);
      return el(
        'div',
        { class: 'audio' },
        src ? el('audio', { src, controls: '', preload: 'none' }) : null,
        el(
          'div',
          { class: 'media-caption' },
          `🎙 Voice message${block.durationSeconds !== null ? ` · ${formatDuration(block.durationSeconds)}` : ''}`,
        ),
        block.transcript && el('div', { class: 'quote' }, block.transcript),
      );
    }
    case 'file': {
      const href = safeUrl(block.url);
      return el(
        href ? 'a' : 'div',
        { class: 'file', href, download: href ? block.name : null, rel: 'noreferrer' },
        el('span', { class: 'icon' }, '📄'),
        el('span', {}, block.name, block.sizeBytes !== null && el('small', {}, formatBytes(block.sizeBytes))),
      );
    }
    case 'card': {
      const href = safeUrl(block.url);
      const image = safeUrl(block.imageUrl);
      return el(
        href ? 'a' : 'div',
        { class: `card card-${block.card}`, href, target: href ? '_blank' : null, rel: 'noreferrer' },
        image && thumbnail(image),
        el(
          'div',
          {},
          el('div', { class: 'card-kind' }, CARD_LABEL[block.card]),
          el('strong', {}, block.title),
          ...block.lines.map((line) => el('div', { class: 'line' }, line)),
        ),
      );
    }
    case 'prompt':
      return el(
        'div',
        { class: 'prompt' },
        block.header && renderBlock(block.header),
        block.body && el('p', { class: 'body' }, block.body),
        block.footer && el('div', { class: 'footer' }, block.footer),
        block.buttons.length > 0 && buttons(block.buttons),
        block.sections.length > 0 &&
          el(
            'details',
            { class: 'list-prompt', open: '' },
            el('summary', {}, block.listButtonText ?? 'Choices'),
            ...block.sections.flatMap((section) => [
              section.title ? el('h4', {}, section.title) : null,
              el(
                'ul',
                {},
                ...section.rows.map((row) =>
                  el('li', {}, row.title, row.description && el('small', {}, row.description)),
                ),
              ),
            ]),
          ),
      );
    case 'template':
      return el(
        'div',
        { class: `template template-${block.template}` },
        el(
          'div',
          { class: 'template-name' },
          `${TEMPLATE_LABEL[block.template]}${block.name ? ` · ${block.name}` : ''}`,
        ),
        block.header && renderBlock(block.header),
        block.body && el('p', { class: 'body' }, block.body),
        block.footer && el('div', { class: 'footer' }, block.footer),
        block.cards.length > 0 &&
          el(
            'div',
            { class: 'template-cards' },
            ...block.cards.map((card) =>
              el(
                'div',
                { class: 'template-card' },
                card.header && renderBlock(card.header),
                card.title && el('strong', {}, card.title),
                card.body && el('div', { class: 'body' }, card.body),
                card.footer && el('div', { class: 'footer' }, card.footer),
                card.buttons.length > 0 && buttons(card.buttons),
              ),
            ),
          ),
        block.buttons.length > 0 && buttons(block.buttons),
      );
    case 'notice':
      return el('div', { class: 'notice' }, block.text);
    case 'unsupported':
      return el('div', { class: 'unsupported' }, 'Unsupported content ', el('code', {}, block.vendorType));
  }
}

const CARD_LABEL: Record<Extract<Block, { type: 'card' }>['card'], string> = {
  product: 'Product',
  order: 'Order',
  'mini-program': 'Mini program',
  contact: 'Contact card',
  'red-packet': '🧧 Red packet',
  link: 'Link',
  document: 'Shared document',
  location: '📍 Location',
  consent: 'Consent',
};

const TEMPLATE_LABEL = {
  whatsapp: 'WhatsApp template',
  instagram: 'Instagram template',
  line: 'LINE template',
};

function buttons(actions: Action[]): HTMLElement {
  return el(
    'div',
    { class: 'buttons' },
    ...actions.map((action) => {
      const href = safeUrl(action.url);
      return el(
        href ? 'a' : 'span',
        { class: 'chip', href, target: href ? '_blank' : null, rel: 'noreferrer' },
        action.label,
      );
    }),
  );
}

function renderInline(inline: Inline): Child {
  switch (inline.kind) {
    case 'text':
      return inline.styles.length ? el('span', { class: inline.styles.join(' ') }, inline.text) : inline.text;
    case 'link': {
      const href = safeUrl(inline.href);
      return el(
        href ? 'a' : 'span',
        { href, target: href ? '_blank' : null, rel: 'noreferrer' },
        inline.text,
      );
    }
    case 'mention':
      return el('span', { class: 'mention' }, `@${inline.name}`);
    case 'image':
      return el('span', { class: 'image-key' }, `image ${inline.imageKey}`);
    case 'unknown':
      return el('span', { class: 'image-key' }, inline.tag);
  }
}

/** A card's picture; a grey square instead of a broken-image icon when it cannot load. */
function thumbnail(src: string): HTMLElement {
  const img = el('img', { src, alt: '', loading: 'lazy' });
  img.addEventListener('error', () => img.replaceWith(el('span', { class: 'thumb-missing' })), {
    once: true,
  });
  return img;
}

function missingMedia(label: string): HTMLElement {
  return el('div', { class: 'media-missing' }, label);
}
