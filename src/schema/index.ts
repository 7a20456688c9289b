import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './source.js';
import './conversation.js';
import './message.js';
import './content.js';
import './wechat-store.js';
import './airudder.js';
import './weizhipin.js';
import './myscrm.js';

builder.queryType({ description: 'Chat histories of several vendors behind one schema.' });

export const schema = lexicographicSortSchema(builder.toSchema());
