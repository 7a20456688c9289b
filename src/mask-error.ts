/**
 * Yoga's error masking, taught chatgraph's errors: a `ChatgraphError` reaches the client with its
 * message, `extensions.code` and safe details; a GraphQL error of the request itself (syntax,
 * validation, variables) passes as is; anything else is logged and masked.
 */
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError } from 'graphql-yoga';
import { isChatgraphError } from './errors.js';
import type { Logger } from './logger.js';

export function createMaskError(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const original = isGraphQLError(error) ? error.originalError : error;
    if (isChatgraphError(original)) {
      const located = isGraphQLError(error) ? error : undefined;
      return createGraphQLError(original.message, {
        nodes: located?.nodes,
        source: located?.source,
        positions: located?.positions,
        path: located?.path,
        extensions: { ...definedDetails(original.details), code: original.code },
      });
    }
    if (isGraphQLError(error) && (!original || isGraphQLError(original))) {
      if (isUncodedInputError(error)) {
        return createGraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          extensions: { ...error.extensions, code: 'INVALID_ARGUMENT' },
        });
      }
      return error;
    }
    const path = isGraphQLError(error) ? error.path?.join('.') : undefined;
    const cause = original instanceof Error ? original : new Error(String(original));
    // The message and stack come from our code and libraries, never from credentials.
    logger.error(
      { path, err: { name: cause.name, message: cause.message, stack: cause.stack } },
      'unexpected error',
    );
    return yogaMaskError(error, message, false);
  };
}

const isGraphQLError = (error: unknown): error is GraphQLError => error instanceof GraphQLError;

/**
 * graphql-js leaves variable coercion errors ("got invalid value") without a code: they are the
 * client's input like any other, and every client error carries one (INVALID_ARGUMENT). Such an
 * error is located in the document, not at a field's path, and wraps no error of the resolvers.
 */
export function isUncodedInputError(error: GraphQLError): boolean {
  const original = error.originalError;
  return (
    (!original || isGraphQLError(original)) &&
    error.extensions?.code === undefined &&
    error.path === undefined
  );
}

function definedDetails(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}
