/**
 * A chatgraph error answered before the operation runs (in Yoga's request hooks), as the GraphQL
 * error a client sees: its message, `extensions.code` and details, and the HTTP status.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { ChatgraphError } from '../errors.js';

export function requestError(
  error: ChatgraphError,
  status = 400,
  headers?: Record<string, string>,
): GraphQLError {
  return createGraphQLError(error.message, {
    extensions: { ...errorExtensions(error), http: headers ? { status, headers } : { status } },
  });
}

/**
 * A chatgraph error about the document itself (too deep, too large, too costly to run), answered
 * as Yoga answers a document that does not parse or validate: 400 under
 * `application/graphql-response+json`, 200 under the legacy `application/json` (Yoga's `spec`
 * flag), whose clients read a response's `errors` only from a 2xx answer (GraphQL over HTTP).
 */
export function documentError(error: ChatgraphError): GraphQLError {
  return createGraphQLError(error.message, {
    extensions: { ...errorExtensions(error), http: { status: 400, spec: true } },
  });
}

/** A chatgraph error's `extensions`: its safe details and its code. */
export function errorExtensions(error: ChatgraphError): Record<string, unknown> {
  const details = Object.fromEntries(
    Object.entries(error.details).filter(([, value]) => value !== undefined),
  );
  return { ...details, code: error.code };
}

/**
 * An error as a stream carries it to the client (a graphql-ws message, a multipart part): with a
 * code (graphql-js leaves syntax errors without one), and without the HTTP status Yoga keeps in
 * `extensions.http`, which only a response's status line can use.
 */
export function streamedError(error: GraphQLError, code?: string): GraphQLError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...extensions, ...(code || extensions.code ? { code: extensions.code ?? code } : {}) },
  });
}
