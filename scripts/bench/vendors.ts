/**
 * What the benchmark needs to know per vendor, from each vendor's definition (`VendorBench`): the
 * conversation it reads, the L4 query's content selection, the credentials a hand-written client
 * sends (L0–L3 talk to the emulator directly), and the L3 backend-for-frontend's
 * validate-and-normalize step, built from the same wire schemas and normalizers the sources use.
 */
import { encodeNodeId } from '../../src/ids.js';
import type { Message, Vendor } from '../../src/model/index.js';
import { sandboxSourceName } from '../../src/sandbox/index.js';
import { VENDORS as DEFINITIONS, type SourceConfig, vendorDefinition } from '../../src/sources/index.js';
import type { VendorDefinition } from '../../src/sources/vendor.js';

export const VENDORS: Vendor[] = DEFINITIONS.map((definition) => definition.id);

function definitionOf(vendor: Vendor): VendorDefinition {
  const definition = vendorDefinition(vendor);
  if (!definition) throw new Error(`No vendor "${vendor}" is registered.`);
  return definition;
}

/** The vendor's `sandbox-long`: 5,000+ messages, so a page of 50 is always full. */
export const longConversation = (vendor: Vendor): string => definitionOf(vendor).bench.longConversation;

export const conversationNodeId = (vendor: Vendor): string =>
  encodeNodeId({
    kind: 'Conversation',
    source: sandboxSourceName(vendor),
    conversation: longConversation(vendor),
  });

/** The L4 query: one page of a conversation with what a chat view shows of each message. */
export function pageQuery(vendor: Vendor, first = 50): string {
  const { typenames, bench } = definitionOf(vendor);
  const content = bench.contentSelection.replaceAll('\n', '\n      ');
  return `query Page($id: ID!, $after: String) {
  conversation(id: $id) {
    messages(first: ${first}, after: $after) {
      edges {
        cursor
        node {
          id
          sentAt
          text
          kind
          sender { role displayName }
          ... on ${typenames.message} {
      ${content}
          }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
}

/** The credentials a direct client sends with every call of this vendor (tokens fetched once). */
export function directHeaders(config: SourceConfig): Promise<Record<string, string>> {
  return definitionOf(config.vendor).bench.directHeaders(config);
}

/** L3's work on one vendor answer: the envelope and each record through zod, then the normalizer. */
export function normalizeAnswer(vendor: Vendor, body: unknown, conversation: string): Message[] {
  const source = sandboxSourceName(vendor);
  return definitionOf(vendor).bench.normalizeAnswer(body, {
    source,
    conversation,
    fetchedAt: Date.now(),
    warn: () => {},
  });
}

/** What L3 answers per message: the L4 query's selection, as a REST BFF would shape it. */
export function restShape(message: Message): Record<string, unknown> {
  const { content } = message as Message & { content: unknown };
  return {
    id: message.externalId,
    sentAt: message.sentAt,
    text: message.text,
    kind: message.kind,
    sender: { role: message.sender.role, displayName: message.sender.displayName },
    content,
  };
}
