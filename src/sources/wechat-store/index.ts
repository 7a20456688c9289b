/**
 * WeChat Shop customer service (微信小店客服): a shop's rooms with its customers.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import { z } from 'zod';
import { baseSourceConfig } from '../../config/secret.js';
import type { VendorDefinition } from '../vendor.js';
import { wechatStoreBench } from './bench.js';
import { wechatStoreSandbox } from './sandbox/index.js';
import { wechatStoreTypes } from './schema.js';
import { WECHAT_STORE_MAX_PAGE, WechatStoreSource, type WechatStoreSourceConfig } from './source.js';

export const wechatStore: VendorDefinition<WechatStoreSourceConfig> = {
  id: 'WECHAT_STORE',
  typenames: { conversation: 'WechatStoreRoom', message: 'WechatStoreMessage' },
  documents: [
    '../shared/vendors/wechat-store.md',
    'https://store.weixin.qq.com/shop/commkf/msg?action=get_room_msg',
  ],
  secretFields: ['cookie', 'bizMagic'],
  configSchema: (secret) =>
    z.strictObject({
      vendor: z.literal('WECHAT_STORE'),
      ...baseSourceConfig,
      cookie: secret,
      bizMagic: secret,
      pageSize: z.int().min(1).max(WECHAT_STORE_MAX_PAGE).default(WECHAT_STORE_MAX_PAGE),
    }),
  createSource: (config, deps) => new WechatStoreSource(config, deps),
  graphql: wechatStoreTypes,
  sandbox: wechatStoreSandbox,
  bench: wechatStoreBench,
};
