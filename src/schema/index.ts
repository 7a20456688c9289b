import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import { FEDERATION_LINK_URL } from './federation.js';
import './source.js';
import './conversation.js';
import './message.js';
import './content.js';
import '../sources/wechat-store/schema.js';
import '../sources/airudder/schema.js';
import '../sources/weizhipin/schema.js';
import '../sources/myscrm/schema.js';
import './subscription.js';
import './inbox-store.js';

builder.queryType({ description: 'Chat histories of several vendors behind one schema.' });

/** The API clients see, documented in schema.graphql. */
export const clientSchema = lexicographicSortSchema(builder.toSchema());

/**
 * What the server serves: the client API plus the Federation subgraph fields (`_service`,
 * `_entities`) a gateway uses, so any replica can sit behind a gateway unchanged.
 */
export const schema = builder.toSubGraphSchema({ linkUrl: FEDERATION_LINK_URL });
