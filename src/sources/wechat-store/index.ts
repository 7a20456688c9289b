/**
 * WeChat Shop customer service (微信小店客服): a shop's rooms with its customers.
 * Everything chatgraph knows of the vendor is in this folder; this is its one registration.
 */
import type { VendorDefinition } from '../vendor.js';
import { wechatStoreBench } from './bench.js';
import { type WechatStoreSourceConfig, wechatStoreConfigSchema } from './config.js';
import { wechatStoreSandbox } from './sandbox/index.js';
import { wechatStoreTypes } from './schema.js';
import { WechatStoreSource } from './source.js';

export const wechatStore: VendorDefinition<WechatStoreSourceConfig> = {
  id: 'WECHAT_STORE',
  typenames: { conversation: 'WechatStoreRoom', message: 'WechatStoreMessage' },
  documents: [
    '../shared/vendors/wechat-store.md',
    'https://store.weixin.qq.com/shop/commkf/msg?action=get_room_msg',
    'https://store.weixin.qq.com/shop/commkf/msg?action=get_sync_msg',
  ],
  secretFields: ['cookie', 'bizMagic'],
  configSchema: wechatStoreConfigSchema,
  createSource: (config, deps) => new WechatStoreSource(config, deps),
  graphql: wechatStoreTypes,
  sandbox: wechatStoreSandbox,
  bench: wechatStoreBench,
};
