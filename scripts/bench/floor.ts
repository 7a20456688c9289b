/**
 * The stack's floor: the least any GraphQL API of this schema can cost on graphql-yoga and
 * graphql-jit. A bare Yoga (no plugin but graphql-jit's compiled execution) serves the API's
 * schema without its resolvers (every field reads the property of its name; an abstract type's
 * value says its `__typename`), and `conversation` answers, from memory, the API's own answer to
 * the page captured once beforehand: no normalizing, no node ids, no cursors, no limits, no
 * loaders, no vendor call. The ladder's `Lf` rung and `bench:layers`' `floor` make the page's
 * vendor calls and parse them as L2 does, then let this server answer: what L4 costs on top of
 * that is this project's own work, and L2 ÷ it is the best ratio the stack allows.
 */
import { type DocumentNode, Kind, parse, print, visit } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';

/** What a floor server answers per conversation node id: the `conversation` of the API's answer. */
export type FloorData = Map<string, unknown>;

type Fetch = (url: string, init: RequestInit) => Promise<Response> | Response;

/** Posts a GraphQL request as the bench's clients do; returns the answer's text. */
async function post(fetch: Fetch, query: string, id: string): Promise<string> {
  const response = await fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { id } }),
  });
  const text = await response.text();
  if (!text.startsWith('{"data"') || text.includes('"errors"'))
    throw new Error(`floor: ${text.slice(0, 500)}`);
  return text;
}

/**
 * What the floor answers `conversation(id: $id)` with, taken from the API (`api`, e.g. its
 * `yoga.fetch`): the conversation of its answer to `query` with typenames, unaliased; and that
 * answer without the typenames, i.e. the API's answer to `query`, which the floor must then repeat
 * byte for byte (`checkFloor`). One answer for both: a page holds times of its own reading (the
 * expiry of a media link).
 */
export async function capturePage(
  api: Fetch,
  query: string,
  id: string,
): Promise<{ conversation: unknown; answer: string }> {
  const typed = await post(api, withTypenames(query), id);
  const answer = JSON.stringify(JSON.parse(typed, (key, value) => (key === TYPENAME ? undefined : value)));
  const { data } = JSON.parse(typed) as { data: { conversation: unknown } };
  return { conversation: unaliased(query, data).conversation, answer };
}

/** Throws unless the floor answers `query` exactly as the API did: it does the same page's work. */
export async function checkFloor(floor: Fetch, query: string, id: string, answer: string): Promise<void> {
  const text = await post(floor, query, id);
  if (text === answer) return;
  let at = 0;
  while (text[at] === answer[at]) at++;
  throw new Error(`floor: answers differently from the API: …${text.slice(at - 60, at + 60)}…`);
}

/** The response name under which `withTypenames` asks every object's type. */
const TYPENAME = '__floorTypename';

/**
 * The query with `__floorTypename: __typename` in every selection: its answer says which type
 * each object is, under a name of its own (the query may ask for `__typename` itself).
 */
function withTypenames(query: string): string {
  const typename = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: TYPENAME },
    name: { kind: Kind.NAME, value: '__typename' },
  } as const;
  return print(
    visit(parse(query), {
      SelectionSet: (node) => ({ ...node, selections: [...node.selections, typename] }),
    }),
  );
}

/**
 * The answer to `withTypenames(query)`, readable by a resolver-less schema: an answer is keyed by
 * response names, while a bare field reads the property of its field name, so every aliased value
 * is also set under its field's name (one object has one type, so the names cannot collide), and
 * so every object has its `__typename`, which an abstract type's value must say.
 */
function unaliased<T>(query: string, answer: T): T {
  const aliases = new Map<string, string>([[TYPENAME, '__typename']]);
  visit(parse(query), {
    Field: (node) => {
      if (node.alias) aliases.set(node.alias.value, node.name.value);
    },
  });
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) walk(item);
    else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(object)) {
        const field = aliases.get(key);
        if (field !== undefined && !(field in object)) object[field] = item;
        walk(item);
      }
    }
  };
  walk(answer);
  return answer;
}

/** graphql-jit's compiled execution as the API runs it, without its budget, key or bound. */
function useJit(): Plugin {
  const compiled = new WeakMap<DocumentNode, CompiledQuery>();
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn((run) => {
        let query = compiled.get(run.document);
        if (!query) {
          const made = compileQuery(run.schema, run.document, run.operationName ?? undefined);
          if (!isCompiledQuery(made)) throw new Error(JSON.stringify(made.errors));
          query = made;
          compiled.set(run.document, query);
        }
        return query.query(run.rootValue, run.contextValue, run.variableValues);
      });
    },
  };
}

/** A bare Yoga over `sdl` whose `conversation(id)` answers `data.get(id)`. */
export function createFloorYoga(sdl: string, data: FloorData) {
  return createYoga({
    schema: createSchema({
      typeDefs: sdl,
      resolvers: { Query: { conversation: (_: unknown, args: { id: string }) => data.get(args.id) } },
    }),
    plugins: [useJit()],
    graphiql: false,
    logging: false,
  });
}
