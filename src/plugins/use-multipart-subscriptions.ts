/**
 * Subscriptions over HTTP multipart, as Apollo Client's `HttpLink` asks for them when no WebSocket
 * link is set up (Apollo's "multipart HTTP subscriptions", `subscriptionSpec=1.0`): one response
 * of `multipart/mixed` parts, each `{"payload": <result>}`, a `{}` heartbeat while nothing else
 * is sent, and the closing boundary when the subscription ends. Yoga streams subscriptions as
 * SSE only and answered such a request 406, so an Apollo frontend without `GraphQLWsLink` could not
 * subscribe. Asked for only by that `Accept`; the operation itself runs as over SSE.
 */
import { type ExecutionResult, GraphQLError } from 'graphql';
import type { ChatgraphPlugin } from './index.js';
import { streamedError } from './request-error.js';

const BOUNDARY = 'graphql';
const CONTENT_TYPE = `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec=1.0`;
/** As Apollo's router sends them: proxies close a connection that stays silent. */
export const HEARTBEAT_MS = 5_000;

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Whether `accept` asks for Apollo's multipart subscriptions. */
function asksForMultipartSubscriptions(accept: string | null): boolean {
  if (accept === null) return false;
  return accept
    .toLowerCase()
    .split(',')
    .some((type) => type.trim().startsWith('multipart/mixed') && /;\s*subscriptionspec="?1\.0"?/.test(type));
}

/** A part of the response: `json` after the boundary and the part's header. */
const part = (json: string) =>
  `\r\n--${BOUNDARY}\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}`;
const END = `\r\n--${BOUNDARY}--\r\n`;

/** The result as clients see it: errors without the HTTP status Yoga keeps in their extensions. */
function withoutInternals(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => (error instanceof GraphQLError ? streamedError(error) : error)),
  };
}

/** Calls `beat` every `ms` until the returned function is called. */
export type Every = (beat: () => void, ms: number) => () => void;

const every: Every = (beat, ms) => {
  const timer = setInterval(beat, ms);
  return () => clearInterval(timer);
};

export interface MultipartOptions {
  heartbeatMs?: number;
  /** The heartbeat's schedule: the platform's timers by default (a test's own to count beats). */
  every?: Every;
}

export function useMultipartSubscriptions(options: MultipartOptions = {}): ChatgraphPlugin {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const schedule = options.every ?? every;
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !asksForMultipartSubscriptions(request.headers.get('accept'))) return;
      setResultProcessor((stream, fetchAPI) => {
        const iterator = (stream as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
        const encoder = new fetchAPI.TextEncoder();
        let stopHeartbeat = () => {};
        const body = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            // A first part at once: some clients wait for the body before they report the response.
            controller.enqueue(encoder.encode(part('{}')));
            stopHeartbeat = schedule(() => {
              // A stream closed or failed under the timer takes no more parts.
              try {
                controller.enqueue(encoder.encode(part('{}')));
              } catch {
                stopHeartbeat();
              }
            }, heartbeatMs);
          },
          async pull(controller) {
            try {
              const next = await iterator.next();
              if (next.done) {
                stopHeartbeat();
                controller.enqueue(encoder.encode(END));
                controller.close();
                return;
              }
              const payload = JSON.stringify({ payload: withoutInternals(next.value) });
              controller.enqueue(encoder.encode(part(payload)));
            } catch (error) {
              stopHeartbeat();
              controller.error(error);
            }
          },
          async cancel() {
            stopHeartbeat();
            await iterator.return?.();
          },
        });
        return new fetchAPI.Response(body, {
          status: 200,
          headers: { 'content-type': CONTENT_TYPE, 'cache-control': 'no-cache' },
        });
      }, 'multipart/mixed');
    },
  };
}
