/** How `chatgraph export` writes messages: one row per message, oldest first. */

export const EXPORT_FORMATS = ['jsonl', 'csv', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A message as the export query reads it (see export.ts). */
export interface ExportedMessage {
  id: string;
  externalId: string;
  sentAt: string;
  kind: string;
  recalled: boolean;
  text: string | null;
  sender: { role: string; externalId: string | null; displayName: string | null };
  raw: unknown;
}

const CSV_COLUMNS = [
  'id',
  'externalId',
  'sentAt',
  'kind',
  'senderRole',
  'senderExternalId',
  'senderName',
  'recalled',
  'text',
] as const;

/** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Text people wrote (a message, a display name) that a spreadsheet would run as a formula gets a
 * leading apostrophe: an export is opened in Excel by QA, and a customer's `=HYPERLINK(…)` must
 * stay text there (OWASP's CSV injection advice). Ids and times are ours and left as they are.
 */
function csvText(value: string | null): string {
  return csvField(value !== null && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

function csvRow(m: ExportedMessage): string {
  const fields = [
    csvField(m.id),
    csvField(m.externalId),
    csvField(m.sentAt),
    csvField(m.kind),
    csvField(m.sender.role),
    csvField(m.sender.externalId),
    csvText(m.sender.displayName),
    csvField(String(m.recalled)),
    csvText(m.text),
  ];
  return `${fields.join(',')}\r\n`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const html = (value: string | null): string => (value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function htmlRow(m: ExportedMessage): string {
  const who = [m.sender.displayName, m.sender.externalId].filter(Boolean).join(' · ');
  return `<tr id="${html(m.id)}" class="${html(m.kind.toLowerCase())}${m.recalled ? ' recalled' : ''}"><td><time datetime="${html(m.sentAt)}">${html(m.sentAt)}</time></td><td>${html(m.sender.role)}</td><td>${html(who)}</td><td>${html(m.kind)}</td><td>${html(m.text).replaceAll('\n', '<br>')}</td></tr>\n`;
}

/** The file's text before, for and after each message, in the format asked for. */
export function formatter(format: ExportFormat, title: string) {
  switch (format) {
    case 'jsonl':
      return { head: '', row: (m: ExportedMessage) => `${JSON.stringify(m)}\n`, tail: '' };
    case 'csv':
      return { head: `${CSV_COLUMNS.join(',')}\r\n`, row: csvRow, tail: '' };
    case 'html':
      return {
        head: `<!doctype html>\n<html><head><meta charset="utf-8"><title>${html(title)}</title><style>body{font-family:system-ui,sans-serif}td{vertical-align:top;padding:2px 8px;border-bottom:1px solid #ddd}.recalled{text-decoration:line-through}</style></head>\n<body><h1>${html(title)}</h1>\n<table><thead><tr><th>sent at (UTC)</th><th>role</th><th>sender</th><th>kind</th><th>text</th></tr></thead><tbody>\n`,
        row: htmlRow,
        tail: '</tbody></table></body></html>\n',
      };
  }
}
