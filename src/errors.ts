/**
 * Every error chatgraph means to show a client is made here, by a helper, with a stable `code`:
 * the GraphQL layer turns it into `extensions.code` (`createMaskError` in `src/mask-error.ts` for
 * errors of the operation, `requestError` in `src/plugins/request-error.ts` for those answered
 * before it runs). Anything else is masked.
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
  /** The client went away before its operation was done: the operation's work stopped. */
  CANCELLED: 'CANCELLED',
  /** No valid API key was presented. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The operation is too deep, has too many aliases, or would cost too many vendor calls. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** The request body is larger than the server accepts. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** The document cannot be parsed, or is nested or long beyond what the server parses. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** A request a browser could send cross-site without a preflight lacks the CSRF header. */
  CSRF_HEADER_REQUIRED: 'CSRF_HEADER_REQUIRED',
  /** The server only runs its persisted (trusted) documents: send one's id, not a query. */
  PERSISTED_OPERATION_REQUIRED: 'PERSISTED_OPERATION_REQUIRED',
  /** The caller's key does not allow what it asked for (e.g. the subgraph SDL). */
  FORBIDDEN: 'FORBIDDEN',
  /** No persisted document has that id. */
  PERSISTED_OPERATION_NOT_FOUND: 'PERSISTED_OPERATION_NOT_FOUND',
  /** Automatic persisted queries: no document is registered under that hash; send it with its text. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Automatic persisted queries: the document's SHA-256 is not the hash sent with it. */
  PERSISTED_QUERY_MISMATCH: 'PERSISTED_QUERY_MISMATCH',
  /** Automatic persisted queries: a protocol version or hash this server does not read. */
  PERSISTED_QUERY_NOT_SUPPORTED: 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** The client (or the whole server) has as many live subscriptions as it may. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The client read its subscription more slowly than messages arrived; resume from its last cursor. */
  SUBSCRIBER_TOO_SLOW: 'SUBSCRIBER_TOO_SLOW',
  /** The field needs a store (listing, search), and the server runs without one. */
  STORE_NOT_CONFIGURED: 'STORE_NOT_CONFIGURED',
  /** On PostgreSQL, a one- or two-character search found less than a page within the messages it may scan. */
  SEARCH_TOO_BROAD: 'SEARCH_TOO_BROAD',
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

/** The header a GET (or form-encoded POST) must carry: a cross-site page cannot add it unasked. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export type ComplexityKind =
  | 'depth'
  | 'aliases'
  | 'vendorCalls'
  | 'selections'
  | 'compileCost'
  | 'nesting'
  | 'tokens';

export function queryTooComplex(kind: ComplexityKind, limit: number, actual: number): ChatgraphError {
  const shown = Number.isFinite(actual) ? actual : Number.MAX_SAFE_INTEGER;
  return new ChatgraphError(
    ERROR_CODES.QUERY_TOO_COMPLEX,
    `The operation is too complex: ${kind} ${shown} is over the limit of ${limit}.`,
    { kind, limit, actual: shown },
  );
}

/**
 * Why an operation's signal aborted (see `operationSignal`): the client left (CANCELLED), or the
 * operation's deadline passed (VENDOR_TIMEOUT, as a vendor call cut by the deadline reports).
 */
export function operationAborted(signal: AbortSignal): ChatgraphError {
  if (isChatgraphError(signal.reason)) return signal.reason;
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  return timedOut
    ? new ChatgraphError(
        ERROR_CODES.VENDOR_TIMEOUT,
        'The operation ran out of time before its vendor calls were done.',
      )
    : new ChatgraphError(ERROR_CODES.CANCELLED, 'The operation was cancelled: the client went away.');
}

/**
 * Whether the operation's signal aborted because its client left (not at its deadline, where
 * the vendor call's own timeout error, naming source and cause, is the better answer).
 */
export function clientLeft(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && operationAborted(signal).code === ERROR_CODES.CANCELLED;
}

export function unauthenticated(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.UNAUTHENTICATED,
    'A valid API key is required: send it as "Authorization: Bearer <key>".',
  );
}

export function requestTooLarge(maxBytes: number): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.REQUEST_TOO_LARGE,
    `The request body is larger than ${maxBytes} bytes.`,
  );
}

export function persistedOperationRequired(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.PERSISTED_OPERATION_REQUIRED,
    'This server runs persisted operations only: send the document\'s id as "documentId", not its text.',
  );
}

export function persistedOperationNotFound(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.PERSISTED_OPERATION_NOT_FOUND,
    'No persisted operation has this id: the client and the server may be of different releases.',
  );
}

/**
 * The three answers of automatic persisted queries. Clients match them by code (Apollo Client,
 * urql): NOT_FOUND makes them send the document, NOT_SUPPORTED makes them stop sending hashes.
 */
export function persistedQueryNotFound(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.PERSISTED_QUERY_NOT_FOUND,
    'No document is registered under this hash: send it again with its text ("query").',
  );
}

export function persistedQueryMismatch(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.PERSISTED_QUERY_MISMATCH,
    'The document\'s SHA-256 is not the hash sent with it in "extensions.persistedQuery.sha256Hash".',
  );
}

export function persistedQueryNotSupported(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.PERSISTED_QUERY_NOT_SUPPORTED,
    'Only version 1 of automatic persisted queries is read, with a SHA-256 written as 64 lowercase hex digits.',
  );
}

export function csrfHeaderRequired(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.CSRF_HEADER_REQUIRED,
    `A GET or form-encoded request must carry the "${CSRF_HEADER}" header (any value), or be a JSON POST.`,
    { header: CSRF_HEADER },
  );
}

/**
 * A vendor whose cursor or anchor does not move on (a page of records already read, or the same
 * position again): reading on would loop, and stopping would claim an end that was never proven.
 */
export function vendorNotAdvancing(source: string, what: string): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.VENDOR_BAD_RESPONSE,
    `Source "${source}" does not advance: ${what}.`,
    { source, field: '(cursor)', cause: 'notAdvancing' },
  );
}

/** A vendor answer larger than the source accepts (bytes, or records beyond what was asked). */
export function vendorTooLarge(source: string, what: string): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.VENDOR_BAD_RESPONSE, `Source "${source}" answered ${what}.`, {
    source,
    field: '(body)',
    cause: 'tooLarge',
  });
}

/** A vendor answer that cannot be read: `field` names where (never the payload itself). */
export function vendorBadResponse(
  source: string,
  field: string,
  message: string,
  details: ErrorDetails = {},
): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.VENDOR_BAD_RESPONSE, message, { source, field, ...details });
}

/** The vendor refused the source's credentials; `message` is ours, never the vendor's words. */
export function vendorAuthFailed(
  source: string,
  message: string,
  details: ErrorDetails = {},
): ChatgraphError {
  return new ChatgraphError(ERROR_CODES.VENDOR_AUTH_FAILED, message, { source, ...details });
}

/**
 * What one of a vendor's envelope codes (`ret`, `code`, `errcode`) means: the error it becomes,
 * and its message, in our words (an auth error is where a vendor might echo a key back).
 */
export interface EnvelopeCode {
  code: ErrorCode;
  message(source: string, vendorCode: number): string;
}

/** A vendor's envelope codes that mean something of their own, one table per vendor. */
export type EnvelopeCodes = Readonly<Record<number, EnvelopeCode>>;

/**
 * The error for a vendor envelope that is not a success: the code's own meaning where the
 * vendor's table has one (own keys only), otherwise `VENDOR_ERROR` saying `otherwise`.
 */
export function envelopeError(
  codes: EnvelopeCodes,
  source: string,
  vendorCode: number,
  otherwise: string,
  details: ErrorDetails = {},
): ChatgraphError {
  const known = Object.hasOwn(codes, vendorCode) ? codes[vendorCode] : undefined;
  return new ChatgraphError(
    known?.code ?? ERROR_CODES.VENDOR_ERROR,
    known ? known.message(source, vendorCode) : otherwise,
    { source, vendorCode, ...details },
  );
}

export function storeNotConfigured(): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.STORE_NOT_CONFIGURED,
    'Listing and search need a store, and this server runs without one (see "store" in docs/configuration.md).',
  );
}

export function searchTooBroad(scanned: number): ChatgraphError {
  return new ChatgraphError(
    ERROR_CODES.SEARCH_TOO_BROAD,
    `A query of one or two characters is looked for in at most ${scanned} stored messages from where the page starts, and there were fewer hits than the page asks for: search for three characters or more, or narrow filter.since / filter.until / filter.sources.`,
    { limit: scanned },
  );
}

export function isChatgraphError(error: unknown): error is ChatgraphError {
  return error instanceof ChatgraphError;
}
