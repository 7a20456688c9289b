/**
 * The registry: the vendors chatgraph serves, one line each. The `Vendor` enum, the configuration
 * union, the GraphQL type names, the sandbox, log redaction, webhooks and the bench's tables are
 * derived from this list (see `VendorDefinition`).
 */
import { airudder } from './airudder/index.js';
import { myscrm } from './myscrm/index.js';
import type { AnySource } from './source.js';
import type { SourceConfig, SourceDeps, VendorDefinition } from './vendor.js';
import { wechatStore } from './wechat-store/index.js';
import { weizhipin } from './weizhipin/index.js';

export const VENDORS: readonly VendorDefinition[] = [wechatStore, airudder, weizhipin, myscrm];

/** The definition of `vendor` among `vendors`. */
export function vendorDefinition(
  vendor: string,
  vendors: readonly VendorDefinition[] = VENDORS,
): VendorDefinition | undefined {
  return vendors.find((definition) => definition.id === vendor);
}

/** One source per configuration, each made by its vendor's definition. */
export function createSources(
  configs: readonly SourceConfig[],
  deps: SourceDeps,
  vendors: readonly VendorDefinition[] = VENDORS,
): AnySource[] {
  return configs.map((config) => {
    const definition = vendorDefinition(config.vendor, vendors);
    if (!definition) throw new Error(`No vendor "${config.vendor}" is registered.`);
    return definition.createSource(config, deps);
  });
}
export type { SourceConfig } from './vendor.js';
