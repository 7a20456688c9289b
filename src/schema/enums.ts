import { CONTENT_KINDS, SENDER_ROLES, VENDORS } from '../model/index.js';
import { builder } from './builder.js';

export const VendorEnum = builder.enumType('Vendor', {
  description: 'The vendor behind a source.',
  values: VENDORS,
});

export const SenderRoleEnum = builder.enumType('SenderRole', {
  description: 'Who sent a message, as far as the vendor says.',
  values: SENDER_ROLES,
});

export const ContentKindEnum = builder.enumType('ContentKind', {
  description: "What a message's content is, across vendors.",
  values: CONTENT_KINDS,
});
