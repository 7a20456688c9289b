/**
 * Which GraphQL object type a resolved value is. Conversations and messages are plain model
 * objects tagged with their vendor; each vendor names its one type of each in its definition.
 */
import type { Vendor } from '../model/index.js';
import type { VendorDefinition } from '../sources/vendor.js';

export class TypeNames {
  readonly #byVendor: Map<Vendor, VendorDefinition['typenames']>;

  constructor(vendors: readonly VendorDefinition[]) {
    this.#byVendor = new Map(vendors.map((vendor) => [vendor.id, vendor.typenames]));
  }

  conversation(vendor: Vendor): string {
    return this.#of(vendor).conversation;
  }

  message(vendor: Vendor): string {
    return this.#of(vendor).message;
  }

  /** Sources are `Source` objects; messages have `sentAt`; conversations are the rest. */
  of(value: object): string {
    if ('capabilities' in value) return 'Source';
    const { vendor } = value as { vendor: Vendor };
    return 'sentAt' in value ? this.message(vendor) : this.conversation(vendor);
  }

  #of(vendor: Vendor): VendorDefinition['typenames'] {
    const names = this.#byVendor.get(vendor);
    if (!names) throw new Error(`No vendor "${vendor}" in this schema.`);
    return names;
  }
}
