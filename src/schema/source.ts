import { encodeNodeId } from '../ids.js';
import { conversationRef } from '../resolvers/nodes.js';
import type { Enums } from './enums.js';
import { asSourceEntity } from './federation.js';
import type { SchemaRefs } from './kit.js';

/** `Source`, its capabilities, and `Query.sources` / `Query.source`. */
export function defineSource(refs: SchemaRefs, enums: Enums): void {
  const { builder, CapabilitiesRef, ConversationInterface, SourceRef } = refs;
  const { VendorEnum } = enums;

  const PagingModeEnum = builder.enumType('PagingMode', {
    description: 'How a source pages in one direction.',
    values: {
      NATIVE: { description: 'The vendor pages this way itself.' },
      SCAN: {
        description:
          'The vendor cannot: the gateway reads toward older messages from the newer bound, so the cost grows with the distance from it.',
      },
    },
  });

  const FilterModeEnum = builder.enumType('FilterMode', {
    description: 'Where a `MessageFilter` part is applied.',
    values: {
      VENDOR: { description: 'By the vendor: only matching messages are fetched.' },
      GATEWAY: { description: 'By chatgraph, over the pages it reads.' },
    },
  });

  CapabilitiesRef.implement({
    description: 'What a source can do, and the vendor limits behind it.',
    fields: (t) => ({
      olderPaging: t.field({
        type: PagingModeEnum,
        description: '`first`/`after`: from the newest toward older messages.',
        resolve: (c) => c.olderPaging,
      }),
      newerPaging: t.field({
        type: PagingModeEnum,
        description: '`last`/`before`: from the oldest toward newer messages.',
        resolve: (c) => c.newerPaging,
      }),
      vendorMaxPageSize: t.exposeInt('vendorMaxPageSize', {
        description: 'The most messages one vendor call returns.',
      }),
      timeRangeFilter: t.field({ type: FilterModeEnum, resolve: (c) => c.filters.timeRange }),
      senderRoleFilter: t.field({ type: FilterModeEnum, resolve: (c) => c.filters.senderRoles }),
      kindFilter: t.field({ type: FilterModeEnum, resolve: (c) => c.filters.kinds }),
      textSearch: t.field({ type: FilterModeEnum, resolve: (c) => c.filters.text }),
      retentionSeconds: t.exposeInt('retentionSeconds', {
        nullable: true,
        description: 'How long the vendor keeps messages; null when it does not say.',
      }),
      defaultLookbackSeconds: t.exposeInt('defaultLookbackSeconds', {
        nullable: true,
        description: 'How far back history is searched when `filter.since` is not given; null: all of it.',
      }),
      notes: t.exposeStringList('notes', { description: 'Vendor limits worth knowing.' }),
    }),
  });

  SourceRef.implement({
    description: 'A configured vendor account that conversations are read from.',
    interfaces: [builder.nodeInterfaceRef()],
    fields: (t) => ({
      id: t.id({
        nullable: false,
        resolve: (source) => encodeNodeId({ kind: 'Source', source: source.name }),
      }),
      name: t.exposeString('name', { description: 'The name given in configuration.' }),
      vendor: t.field({ type: VendorEnum, resolve: (source) => source.vendor }),
      capabilities: t.field({ type: CapabilitiesRef, resolve: (source) => source.capabilities }),
      conversation: t.field({
        type: ConversationInterface,
        nullable: true,
        description:
          "A conversation by the vendor's own id. Vendors cannot tell an empty conversation from an unknown one, so any well-formed id gives a conversation.",
        args: { externalId: t.arg.string({ required: true }) },
        resolve: (source, { externalId }) => conversationRef(source, externalId),
      }),
    }),
  });

  asSourceEntity(builder, SourceRef);

  builder.queryFields((t) => ({
    sources: t.field({
      type: [SourceRef],
      description: 'Every configured source.',
      resolve: (_root, _args, ctx) => ctx.sources.list(),
    }),
    source: t.field({
      type: SourceRef,
      nullable: true,
      description: 'A source by name; an `UNKNOWN_SOURCE` error when none has it.',
      args: { name: t.arg.string({ required: true }) },
      resolve: (_root, { name }, ctx) => ctx.sources.get(name),
    }),
  }));
}
