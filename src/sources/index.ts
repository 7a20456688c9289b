/** The vendors chatgraph can read, and the one place that turns configuration into sources. */
import type { Vendor } from '../model/index.js';
import { type AirudderSourceConfig, airudderPlugin } from './airudder/source.js';
import { type MyscrmSourceConfig, myscrmPlugin } from './myscrm/source.js';
import type { SourceDeps, VendorPlugin } from './plugin.js';
import type { AnySource } from './source.js';
import { type WechatStoreSourceConfig, wechatStorePlugin } from './wechat-store/source.js';
import { type WeizhipinSourceConfig, weizhipinPlugin } from './weizhipin/source.js';

export type SourceConfig =
  | WechatStoreSourceConfig
  | AirudderSourceConfig
  | WeizhipinSourceConfig
  | MyscrmSourceConfig;

// biome-ignore lint/suspicious/noExplicitAny: each plugin has its own config type.
export const VENDOR_PLUGINS: Record<Vendor, VendorPlugin<any>> = {
  WECHAT_STORE: wechatStorePlugin,
  AIRUDDER: airudderPlugin,
  WEIZHIPIN: weizhipinPlugin,
  MYSCRM: myscrmPlugin,
};

export function createSources(configs: SourceConfig[], deps: SourceDeps): AnySource[] {
  return configs.map((config) => VENDOR_PLUGINS[config.vendor].createSource(config, deps));
}
