/**
 * Hostile GraphQL requests, shared by the hostile-document test and `npm run abuse`: the shapes an
 * outside test used to stall or kill the server (issue 12), and a fast-check generator of more
 * of them (nested abstract selections, aliases, fragment fan-out, directives, variable defaults,
 * repeated selections, deep literals and selections). Conversation and message ids are the sandbox's, or not ids at all.
 */
import fc from 'fast-check';
import { encodeNodeId } from '../../src/ids.js';

export interface HostileRequest {
  /** What the request tries, for reports. */
  kind: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Sent as a GET without the CSRF header (finding 7). */
  get?: boolean;
}

export const ROOM = encodeNodeId({
  kind: 'Conversation',
  source: 'wechat-store',
  conversation: 'sandbox-long',
});
/** A message id of the right shape; `npm run abuse` puts a real one in its place. */
export const MESSAGE = encodeNodeId({
  kind: 'Message',
  source: 'wechat-store',
  conversation: 'sandbox-long',
  position: { id: '1', t: 0 },
});

/** `node` → message → its conversation's messages → … `levels` deep, each level abstract twice. */
export function nestedAbstract(levels: number, alias = 'id'): string {
  let inner = `${alias}: id`;
  for (let level = 0; level < levels; level++) {
    inner = `conversation { messages(first: 1) { edges { node { ${inner} } } } }`;
  }
  return `query($id: ID!) { node(id: $id) { ... on Message { ${inner} } } }`;
}

/** Fragments F0…F(levels-1) on Query, each spreading the next twice. */
export function doublingFragments(levels: number, leaf = 'sources { name }'): string {
  const fragments = Array.from({ length: levels }, (_, n) =>
    n === levels - 1
      ? `fragment F${n} on Query { ${leaf} }`
      : `fragment F${n} on Query { ...F${n + 1} ...F${n + 1} }`,
  );
  return `query { ...F0 } ${fragments.join(' ')}`;
}

const ids = (count: number) => Array.from({ length: count }, () => ROOM);

/** The seven findings of issue 12, one request each (finding 5 is a page of 1,000 vendor calls). */
/** `_entities`, which a gateway calls and so anyone can. */
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Node { id } } }';

export const FINDINGS: HostileRequest[] = [
  { kind: '1 nested abstract selections (3 levels)', query: nestedAbstract(3), variables: { id: MESSAGE } },
  {
    kind: '2 cost hidden in variable defaults',
    query: `query($ids: [ID!]! = ${JSON.stringify(ids(200))}, $n: Int = 100) { nodes(ids: $ids) { ... on Conversation { messages(first: $n) { edges { node { text } } } } } }`,
  },
  { kind: '3 fragments spreading fragments twice (22 levels)', query: doublingFragments(22) },
  {
    kind: '4 selections nested 5,000 deep',
    query: `{ sources ${'{ name '.repeat(5_000)}${'}'.repeat(5_000)} }`,
  },
  {
    kind: '5 a page needing 1,000 vendor calls',
    query: 'query($id: ID!) { conversation(id: $id) { messages(last: 10) { edges { cursor } } } }',
    variables: { id: ROOM },
  },
  { kind: '6 _service with introspection off', query: '{ _service { sdl } }' },
  { kind: '7 GET without the CSRF header', query: '{ sources { name } }', get: true },
  {
    // Once ended the process: the federation library threw for the second while the first failed.
    kind: '8 _entities: a reference that fails, then a type that is no entity',
    query: ENTITIES,
    variables: { r: [{ __typename: 'Conversation', id: 'not-an-id' }, { __typename: 'Nope' }] },
  },
];

/** What `_entities` may be sent: references of every kind, of any type name, and anything at all. */
const representation = fc.oneof(
  fc.record(
    {
      __typename: fc.constantFrom(
        'Conversation',
        'Message',
        'WechatStoreRoom',
        'Source',
        'Query',
        'Node',
        'Nope',
      ),
      id: fc.oneof(fc.constant(ROOM), fc.constant(MESSAGE), fc.string()),
      name: fc.oneof(fc.constant('wechat-store'), fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

const alias = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/);

/** One hostile request per draw; `fc.sample(hostileRequest(), n)` gives n of them. */
export function hostileRequest(): fc.Arbitrary<HostileRequest> {
  return fc.oneof(
    fc.record({ levels: fc.integer({ min: 0, max: 4 }), alias }).map(({ levels, alias }) => ({
      kind: 'nested abstract',
      query: nestedAbstract(levels, alias),
      variables: { id: MESSAGE },
    })),
    fc.record({ count: fc.integer({ min: 1, max: 80 }), alias }).map(({ count, alias }) => ({
      kind: 'aliases',
      query: `{ ${Array.from({ length: count }, (_, n) => `${alias}${n}: sources { name }`).join(' ')} }`,
    })),
    fc.record({ levels: fc.integer({ min: 1, max: 30 }), alias }).map(({ levels, alias }) => ({
      kind: 'fragment fan-out',
      query: doublingFragments(levels, `${alias}: sources { name }`),
    })),
    fc
      .record({ include: fc.boolean(), skip: fc.boolean(), levels: fc.integer({ min: 1, max: 12 }), alias })
      .map(({ include, skip, levels, alias }) => ({
        kind: 'directives',
        query: `query($a: Boolean = ${include}, $b: Boolean = ${skip}) { ${Array.from(
          { length: levels },
          (_, n) => `${alias}${n}: sources @include(if: $a) @skip(if: $b) { name @include(if: $a) }`,
        ).join(' ')} }`,
      })),
    fc
      .record({ size: fc.integer({ min: 0, max: 5_000 }), count: fc.integer({ min: 0, max: 300 }), alias })
      .map(({ size, count, alias }) => ({
        kind: 'variable defaults',
        query: `query($ids: [ID!]! = ${JSON.stringify(ids(count))}, $n: Int = ${size}) { nodes(ids: $ids) { ${alias}: id ... on Conversation { messages(first: $n) { edges { cursor } } } } }`,
      })),
    fc.record({ depth: fc.integer({ min: 1, max: 5_000 }), alias }).map(({ depth, alias }) => ({
      kind: 'deep literal',
      query: `{ ${alias}: nodes(ids: ${'['.repeat(depth)}"x"${']'.repeat(depth)}) { id } }`,
    })),
    fc.record({ count: fc.integer({ min: 1, max: 2_400 }), alias }).map(({ count, alias }) => ({
      // Validation's OverlappingFieldsCanBeMerged compares these pairwise.
      kind: 'repeated selections',
      query: `{ ${`sources { ${alias}: name } `.repeat(count)} }`,
    })),
    fc.array(representation, { maxLength: 12 }).map((representations) => ({
      kind: 'entities',
      query: ENTITIES,
      variables: { r: representations },
    })),
    fc.record({ depth: fc.integer({ min: 1, max: 5_000 }), alias }).map(({ depth, alias }) => ({
      kind: 'deep selections',
      query: `{ ${alias}: sources ${'{ name '.repeat(depth)}${'}'.repeat(depth)} }`,
    })),
  );
}
