/**
 * The sandbox's media, served by the emulators themselves on loopback so the inbox shows real
 * images, playable audio and downloadable files, offline.
 *
 * Vendor data names media under `SANDBOX_MEDIA` (an `.invalid` origin no one can reach). As an
 * emulator answers, `signMediaUrls` turns each such URL into one on that emulator, signed the way
 * the vendor's document says its links are:
 *
 * - `/oss/<bucket>/<object>`: Alibaba Cloud OSS V1 query-string signing, as some vendors' sample
 *   links are (`Expires`, `OSSAccessKeyId`, `Signature` = base64 HMAC-SHA1 of
 *   `GET\n\n\n<Expires>\n/<bucket>/<object>`), valid one hour (as documents that give a lifetime
 *   say). A tampered or expired link is refused with 403 and OSS's XML error, as OSS does.
 * - `/plain/<path>`: no signature or expiry (for vendors whose documents say nothing of either).
 *
 * The bytes are generated, deterministically from the path: a small PNG for images, a one-second
 * WAV tone for audio, a one-page PDF for `.pdf`, text for anything else. No video is generated.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync } from 'node:zlib';

export const SANDBOX_MEDIA = 'https://sandbox-media.chatgraph.invalid';

/** Not a secret: signs the sandbox's own links. */
const OSS_KEY_ID = 'sandbox-oss-key';
const OSS_SECRET = 'sandbox-oss-secret';
export const OSS_LINK_TTL_SECONDS = 3_600;

/**
 * A sandbox media URL and its query: an image-processing parameter, or the `Expires` an emulator
 * with its own clock already set.
 */
const PLACEHOLDER = /https:\/\/sandbox-media\.chatgraph\.invalid(\/[A-Za-z0-9._~%/-]*)(\?[^"\\\s]*)?/g;

const ossSignature = (expires: number, resource: string): string =>
  createHmac('sha1', OSS_SECRET).update(`GET\n\n\n${expires}\n${resource}`).digest('base64');

/** `text` (a JSON answer) with every sandbox media URL made a signed URL on `baseUrl`. */
export function signMediaUrls(text: string, baseUrl: string, nowMs: number): string {
  if (!text.includes('sandbox-media.chatgraph.invalid')) return text;
  const fresh = Math.floor(nowMs / 1000) + OSS_LINK_TTL_SECONDS;
  return text.replace(PLACEHOLDER, (_, path: string, query: string | undefined) => {
    const params = new URLSearchParams(query ?? '');
    if (!path.startsWith('/oss/')) return `${baseUrl}/media${path}${query ?? ''}`;
    const given = params.get('Expires');
    const expires = given !== null && /^\d+$/.test(given) ? Number(given) : fresh;
    params.delete('Expires');
    params.delete('Signature');
    params.delete('OSSAccessKeyId');
    params.set('Expires', String(expires));
    params.set('OSSAccessKeyId', OSS_KEY_ID);
    params.set('Signature', ossSignature(expires, path.slice('/oss'.length)));
    return `${baseUrl}/media${path}?${params.toString()}`;
  });
}

export interface MediaAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const ossError = (code: string, message: string): MediaAnswer => ({
  status: 403,
  headers: { 'content-type': 'application/xml' },
  body: Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`,
  ),
});

/** Answers GET `/media/...` on an emulator; null for any other path. */
export function serveMedia(url: URL, nowMs: number): MediaAnswer | null {
  if (!url.pathname.startsWith('/media/')) return null;
  const path = url.pathname.slice('/media'.length);
  if (path.startsWith('/oss/')) {
    const expires = Number(url.searchParams.get('Expires'));
    const given = Buffer.from(url.searchParams.get('Signature') ?? '');
    const wanted = Buffer.from(ossSignature(expires, path.slice('/oss'.length)));
    if (
      url.searchParams.get('OSSAccessKeyId') !== OSS_KEY_ID ||
      given.length !== wanted.length ||
      !timingSafeEqual(given, wanted)
    ) {
      return ossError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    }
    if (!Number.isInteger(expires) || expires * 1000 < nowMs)
      return ossError('AccessDenied', 'Request has expired.');
  } else if (!path.startsWith('/plain/')) {
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Not found') };
  }
  const media = mediaFor(path);
  return {
    status: 200,
    headers: { ...media.headers, 'cache-control': 'private, max-age=600' },
    body: media.body,
  };
}

function mediaFor(path: string): { headers: Record<string, string>; body: Buffer } {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const seed = hash(path);
  if (['jpg', 'jpeg', 'png', 'gif', 'webp'].includes(extension)) {
    return { headers: { 'content-type': 'image/png' }, body: png(96, 72, seed) };
  }
  if (['silk', 'amr', 'mp3', 'wav', 'm4a', 'ogg'].includes(extension)) {
    return { headers: { 'content-type': 'audio/wav' }, body: wav(1, 330 + (seed % 8) * 55) };
  }
  if (extension === 'pdf') return { headers: { 'content-type': 'application/pdf' }, body: pdf(path) };
  return {
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: Buffer.from(`chatgraph sandbox file ${path}\n`),
  };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG: a diagonal gradient in a colour taken from `seed`. */
export function png(width: number, height: number, seed: number): Buffer {
  const [r, g, b] = [seed & 0xff, (seed >>> 8) & 0xff, (seed >>> 16) & 0xff];
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // no filter
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height);
      rows[row + 1 + x * 3] = Math.round(r * (1 - t) + 255 * t);
      rows[row + 2 + x * 3] = Math.round(g * (1 - t) + 255 * t);
      rows[row + 3 + x * 3] = Math.round(b * (1 - t) + 255 * t);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A mono 16-bit 8 kHz WAV: a sine tone of `seconds`, fading out. */
export function wav(seconds: number, frequency: number): Buffer {
  const rate = 8_000;
  const samples = rate * seconds;
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(rate, 24);
  out.writeUInt32LE(rate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const fade = 1 - i / samples;
    out.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / rate) * 8_000 * fade), 44 + i * 2);
  }
  return out;
}

/** A one-page PDF that names the file. */
function pdf(path: string): Buffer {
  const text = `chatgraph sandbox file ${path}`.replace(/[()\\]/g, '');
  const stream = `BT /F1 12 Tf 40 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
