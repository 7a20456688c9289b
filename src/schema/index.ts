/**
 * The schema, built from the vendors it serves: the shared types first, then each vendor's own
 * (`VendorDefinition.graphql`), so that the `Vendor` enum and the type names come from the
 * definitions and nowhere else.
 */
import { type GraphQLSchema, lexicographicSortSchema } from 'graphql';
import { VENDORS } from '../sources/index.js';
import type { VendorDefinition } from '../sources/vendor.js';
import { createBuilder } from './builder.js';
import { contentUnion, defineContent } from './content.js';
import { conversationType, defineConversation } from './conversation.js';
import { defineEnums } from './enums.js';
import { FEDERATION_LINK_URL, guardEntities } from './federation.js';
import { defineInboxStore } from './inbox-store.js';
import { declareRefs, type VendorSchemaKit } from './kit.js';
import { defineMessage, messageType } from './message.js';
import { defineScalars } from './scalars.js';
import { defineSource } from './source.js';
import { defineSubscription } from './subscription.js';
import { TypeNames } from './typenames.js';

export interface Schemas {
  /** The API clients see, documented in schema.graphql. */
  clientSchema: GraphQLSchema;
  /**
   * What the server serves: the client API plus the Federation subgraph fields (`_service`,
   * `_entities`) a gateway uses, so any replica can sit behind a gateway unchanged.
   */
  schema: GraphQLSchema;
}

const built = new WeakMap<readonly VendorDefinition[], Schemas>();

/** The schemas of these vendors; built once per list (the same array gives the same schemas). */
export function createSchema(vendors: readonly VendorDefinition[] = VENDORS): Schemas {
  const cached = built.get(vendors);
  if (cached) return cached;
  const typenames = new TypeNames(vendors);
  const builder = createBuilder((value) => typenames.of(value));
  defineScalars(builder);
  const enums = defineEnums(builder, vendors);
  const refs = declareRefs(builder, typenames);
  defineSource(refs, enums);
  const conversation = defineConversation(refs, enums);
  defineMessage(refs, enums);
  const content = defineContent(builder);
  for (const vendor of vendors) {
    const kit: VendorSchemaKit = {
      builder,
      content,
      contentUnion: (name, description, types) => contentUnion(builder, name, description, types),
      conversationType: (description) => conversationType(refs, vendor.id, description),
      messageType: (options) => messageType(refs, vendor.id, options),
    };
    vendor.graphql(kit);
  }
  defineSubscription(builder, conversation);
  defineInboxStore(refs, enums);
  builder.queryType({ description: 'Chat histories of several vendors behind one schema.' });
  const schemas = {
    clientSchema: lexicographicSortSchema(builder.toSchema()),
    schema: guardEntities(builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK_URL })),
  };
  built.set(vendors, schemas);
  return schemas;
}
