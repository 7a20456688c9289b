/** Content types shared by the vendors' content unions, and the helper that builds a union. */

import type { ObjectRef, UnionRef } from '@pothos/core';
import type {
  AudioContent,
  Content,
  FileContent,
  ImageContent,
  LinkContent,
  LocationContent,
  StickerContent,
  TextContent,
  UnsupportedContent,
  VideoContent,
} from '../model/index.js';
import type { Builder, Types } from './builder.js';

/** `expiresAt` of every content type with URLs: a vendor may hand out temporary links. */
function expiresAt(t: PothosSchemaTypes.ObjectFieldBuilder<Types, { expiresAt: number | null }>) {
  // Exposed rather than resolved: graphql-jit reads an exposed field inline, where a resolver
  // costs a call and a resolve-info object per content (see `defineMessage`).
  return t.expose('expiresAt', {
    type: 'DateTime',
    nullable: true,
    description:
      'When the URLs stop working, for vendors that hand out temporary links; null: no known expiry.',
  });
}

export function defineContent(builder: Builder) {
  const TextContentRef = builder.objectRef<TextContent>('TextContent').implement({
    description: 'Plain text.',
    fields: (t) => ({ text: t.exposeString('text') }),
  });

  const ImageContentRef = builder.objectRef<ImageContent>('ImageContent').implement({
    description: 'A picture.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      thumbnailUrl: t.exposeString('thumbnailUrl', { nullable: true }),
      width: t.exposeInt('width', { nullable: true }),
      height: t.exposeInt('height', { nullable: true }),
      expiresAt: expiresAt(t),
    }),
  });

  const VideoContentRef = builder.objectRef<VideoContent>('VideoContent').implement({
    description: 'A video.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      thumbnailUrl: t.exposeString('thumbnailUrl', { nullable: true }),
      durationSeconds: t.exposeFloat('durationSeconds', { nullable: true }),
      expiresAt: expiresAt(t),
    }),
  });

  const AudioContentRef = builder.objectRef<AudioContent>('AudioContent').implement({
    description: 'A voice message or audio recording.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      durationSeconds: t.exposeFloat('durationSeconds', { nullable: true }),
      transcript: t.exposeString('transcript', {
        nullable: true,
        description: 'Speech-to-text, where the vendor supplies it.',
      }),
      expiresAt: expiresAt(t),
    }),
  });

  const FileContentRef = builder.objectRef<FileContent>('FileContent').implement({
    description: 'A file attachment.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      name: t.exposeString('name', { nullable: true }),
      sizeBytes: t.exposeFloat('sizeBytes', { nullable: true }),
      expiresAt: expiresAt(t),
    }),
  });

  const StickerContentRef = builder.objectRef<StickerContent>('StickerContent').implement({
    description: 'A sticker or emoticon picture.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      thumbnailUrl: t.exposeString('thumbnailUrl', { nullable: true }),
      width: t.exposeInt('width', { nullable: true }),
      height: t.exposeInt('height', { nullable: true }),
      expiresAt: expiresAt(t),
    }),
  });

  const LinkContentRef = builder.objectRef<LinkContent>('LinkContent').implement({
    description: 'A shared link with its preview.',
    fields: (t) => ({
      url: t.exposeString('url', { nullable: true }),
      title: t.exposeString('title', { nullable: true }),
      description: t.exposeString('description', { nullable: true }),
      imageUrl: t.exposeString('imageUrl', { nullable: true }),
    }),
  });

  const LocationContentRef = builder.objectRef<LocationContent>('LocationContent').implement({
    description: 'A place on the map.',
    fields: (t) => ({
      latitude: t.exposeFloat('latitude', { nullable: true }),
      longitude: t.exposeFloat('longitude', { nullable: true }),
      name: t.exposeString('name', { nullable: true }),
      address: t.exposeString('address', { nullable: true }),
      zoom: t.exposeFloat('zoom', { nullable: true }),
    }),
  });

  const UnsupportedContentRef = builder.objectRef<UnsupportedContent>('UnsupportedContent').implement({
    description: 'Content of a type chatgraph does not know yet: shown as received, never dropped.',
    fields: (t) => ({
      vendorType: t.exposeString('vendorType', { description: "The vendor's name for the content type." }),
      raw: t.expose('raw', { type: 'JSON' }),
    }),
  });

  return {
    TextContentRef,
    ImageContentRef,
    VideoContentRef,
    AudioContentRef,
    FileContentRef,
    StickerContentRef,
    LinkContentRef,
    LocationContentRef,
    UnsupportedContentRef,
  };
}

export type ContentRefs = ReturnType<typeof defineContent>;

/**
 * A vendor's content union, typed as the vendor's content model `T`; members are told apart by
 * the `__typename` the normalizer sets.
 */
export function contentUnion<T extends Content>(
  builder: Builder,
  name: string,
  description: string,
  types: ObjectRef<Types, unknown>[],
): UnionRef<Types, T> {
  return builder.unionType(name, {
    description,
    types,
    resolveType: (content) => (content as Content).__typename,
  }) as unknown as UnionRef<Types, T>;
}
