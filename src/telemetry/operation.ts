/** What the logs, metrics and spans of one GraphQL operation say about it. */
import { type DocumentNode, type GraphQLError, getOperationAST } from 'graphql';
import { isChatgraphError } from '../errors.js';
import { isUncodedInputError } from '../mask-error.js';

export interface OperationInfo {
  /** `query`, `mutation`, `subscription`; `unknown` when the document does not say which. */
  type: string;
  /** The client's operation name (a GraphQL name, so safe to log), or null. */
  name: string | null;
}

/**
 * The last info told for each document (Yoga hands a repeated query the same parsed document),
 * with the operation name it was asked for: the metrics, the span and the log line of an
 * operation all ask, and a client mostly repeats its requests.
 */
const lastInfo = new WeakMap<DocumentNode, { operationName: string | null; info: OperationInfo }>();

export function operationInfo(document: DocumentNode, operationName?: string | null): OperationInfo {
  const name = operationName ?? null;
  const last = lastInfo.get(document);
  if (last?.operationName === name) return last.info;
  const operation = getOperationAST(document, name);
  const info: OperationInfo = Object.freeze({
    type: operation?.operation ?? 'unknown',
    name: operation?.name?.value.slice(0, 100) ?? null,
  });
  lastInfo.set(document, { operationName: name, info });
  return info;
}

/** The distinct error codes of a result, as clients will see them once errors are masked. */
export function errorCodes(errors: readonly GraphQLError[] | undefined): string[] {
  const codes = new Set<string>();
  for (const error of errors ?? []) {
    const original = error.originalError;
    if (isChatgraphError(original)) codes.add(original.code);
    else if (typeof error.extensions?.code === 'string') codes.add(error.extensions.code);
    else if (isUncodedInputError(error)) codes.add('INVALID_ARGUMENT');
    else codes.add('INTERNAL_SERVER_ERROR');
  }
  return [...codes];
}

/** The errors of an execution result, when it is one (streamed results are not used here). */
export function resultErrors(result: unknown): readonly GraphQLError[] | undefined {
  return result && typeof result === 'object' && 'errors' in result
    ? (result.errors as readonly GraphQLError[] | undefined)
    : undefined;
}
