/**
 * Every error chatgraph means to show a client carries a stable `code`; the GraphQL layer turns it
 * into `extensions.code` (see `useChatgraphErrors`). Anything else is masked.
 *
 * Messages and details are built from safe values only: never a credential, cookie, token or a
 * vendor URL with its query string.
 */

export const ERROR_CODES = {
  /** A client argument is out of range or malformed (page sizes, filters, external ids). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** A cursor was altered, belongs to another conversation or filter, or is not a cursor. */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** A node id that chatgraph did not issue. */
  INVALID_ID: 'INVALID_ID',
  /** No configured source has that name. */
  UNKNOWN_SOURCE: 'UNKNOWN_SOURCE',
  /** The vendor rejected the source's credentials. */
  VENDOR_AUTH_FAILED: 'VENDOR_AUTH_FAILED',
  /** The vendor answered with an error of its own. */
  VENDOR_ERROR: 'VENDOR_ERROR',
  /** The vendor answered something that cannot be read. */
  VENDOR_BAD_RESPONSE: 'VENDOR_BAD_RESPONSE',
  /** The vendor could not be reached, or did not answer in time. */
  VENDOR_UNREACHABLE: 'VENDOR_UNREACHABLE',
  /** The vendor is rate-limiting the source. */
  VENDOR_RATE_LIMITED: 'VENDOR_RATE_LIMITED',
  /** The vendor did not answer within the time allowed (its timeouts or the request's deadline). */
  VENDOR_TIMEOUT: 'VENDOR_TIMEOUT',
  /** The source failed repeatedly and is resting (circuit open) until a probe succeeds. */
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  /** No valid API key was presented. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The operation is too deep, has too many aliases, or would cost too many vendor calls. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request body is larger than the server accepts. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** The field needs a store (listing, search), and the server runs without one. */
  STORE_NOT_CONFIGURED: 'STORE_NOT_CONFIGURED',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The codes a misbehaving vendor can cause (as opposed to a client's input or a bug of ours). */
export const VENDOR_FAULT_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  ERROR_CODES.VENDOR_ERROR,
  ERROR_CODES.VENDOR_RATE_LIMITED,
  ERROR_CODES.VENDOR_TIMEOUT,
  ERROR_CODES.VENDOR_UNREACHABLE,
  ERROR_CODES.VENDOR_BAD_RESPONSE,
  ERROR_CODES.SOURCE_UNAVAILABLE,
]);

export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export class ChatgraphError extends Error {
  override name = 'ChatgraphError';
  readonly code: ErrorCode;
  /** Safe, client-visible details (source name, vendor code, request id, field). */
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function invalidArgument(message: string, details?: ErrorDetails): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.INVALID_ARGUMENT, message, details);
}

export function invalidCursor(message: string): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.INVALID_CURSOR, message);
}

export function invalidId(message: string): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.INVALID_ID, message);
}

export function storeNotConfigured(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.STORE_NOT_CONFIGURED,
    'Listing and search need a store, and this server runs without one (see "store" in docs/configuration.md).',
  );
}

export function isChatgraphError(error: unknown): error is ChatgraphError {
  return error instanceof ChatgraphError;
}
