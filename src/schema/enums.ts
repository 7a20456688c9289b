import { CONTENT_KINDS, SENDER_ROLES } from '../model/index.js';
import type { VendorDefinition } from '../sources/vendor.js';
import type { Builder } from './builder.js';

export function defineEnums(builder: Builder, vendors: readonly VendorDefinition[]) {
  return {
    VendorEnum: builder.enumType('Vendor', {
      description: 'The vendor behind a source.',
      values: vendors.map((vendor) => vendor.id),
    }),
    SenderRoleEnum: builder.enumType('SenderRole', {
      description: 'Who sent a message, as far as the vendor says.',
      values: SENDER_ROLES,
    }),
    ContentKindEnum: builder.enumType('ContentKind', {
      description: "What a message's content is, across vendors.",
      values: CONTENT_KINDS,
    }),
  };
}

export type Enums = ReturnType<typeof defineEnums>;
