/**
 * Content shapes that mean the same thing for every vendor. Each is tagged with the GraphQL type
 * it resolves to; vendor-only shapes live beside their vendor's normalizer and use the same tag.
 * Times are epoch milliseconds; absent vendor fields are null, never invented.
 */

export interface Content {
  __typename: string;
}

export interface TextContent {
  __typename: 'TextContent';
  text: string;
}

export interface ImageContent {
  __typename: 'ImageContent';
  url: string | null;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  /** When `url` and `thumbnailUrl` stop working, for vendors that hand out temporary links. */
  expiresAt: number | null;
}

export interface VideoContent {
  __typename: 'VideoContent';
  url: string | null;
  thumbnailUrl: string | null;
  durationSeconds: number | null;
  expiresAt: number | null;
}

export interface AudioContent {
  __typename: 'AudioContent';
  url: string | null;
  durationSeconds: number | null;
  /** Speech-to-text of the recording, where the vendor supplies one. */
  transcript: string | null;
  expiresAt: number | null;
}

export interface FileContent {
  __typename: 'FileContent';
  url: string | null;
  name: string | null;
  sizeBytes: number | null;
  expiresAt: number | null;
}

export interface StickerContent {
  __typename: 'StickerContent';
  url: string | null;
  thumbnailUrl: string | null;
  width: number | null;
  height: number | null;
  expiresAt: number | null;
}

export interface LinkContent {
  __typename: 'LinkContent';
  url: string | null;
  title: string | null;
  description: string | null;
  imageUrl: string | null;
}

export interface LocationContent {
  __typename: 'LocationContent';
  latitude: number | null;
  longitude: number | null;
  name: string | null;
  address: string | null;
  zoom: number | null;
}

/** A message whose content the code does not know (yet): shown, never dropped. */
export interface UnsupportedContent {
  __typename: 'UnsupportedContent';
  /** The vendor's own name for the content type, as received. */
  vendorType: string;
  /** The vendor record, or the part of it that holds the content. */
  raw: unknown;
}

export function unsupported(vendorType: string, raw: unknown): UnsupportedContent {
  return { __typename: 'UnsupportedContent', vendorType, raw };
}
