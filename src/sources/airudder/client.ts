/**
 * AIRUDDER chatbot API: one function per endpoint, signed headers from the source's
 * configuration, the `{request_id, code, message, data}` envelope checked and its errors typed.
 */
import { envelopeError, vendorBadResponse } from '../../errors.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { ENVELOPE_CODES } from './errors.js';
import { readAirudderSessionMessage, readAirudderSessionMessagesResponse } from './fast-wire.js';
import { type AirudderCredentials, type AirudderSigner, airudderSign } from './sign.js';
import {
  type AirudderSessionMessage,
  type AirudderSessionMessagesRequest,
  CODE_OK,
  SESSION_MESSAGES_PATH,
} from './wire.js';

export interface AirudderRecord {
  record: AirudderSessionMessage;
  /** The message exactly as received. */
  raw: unknown;
}

export class AirudderClient {
  readonly #source: string;
  readonly #http: HttpClient;
  readonly #credentials: AirudderCredentials;
  readonly #sign: AirudderSigner;

  constructor(
    source: string,
    http: HttpClient,
    credentials: AirudderCredentials,
    sign: AirudderSigner = airudderSign,
  ) {
    this.#source = source;
    this.#http = http;
    this.#credentials = credentials;
    this.#sign = sign;
  }

  /**
   * The messages of one session older than `last_msg_id` ("" for the newest), in the vendor's
   * order (newest first, though the vendor does not guarantee it); only the last 24 hours are kept.
   * Vendor: `../shared/vendors/airudder.md`, "*Query message list",
   * `POST https://api.airudder.com/api/v1/session/messages`.
   */
  async sessionMessages(
    request: AirudderSessionMessagesRequest,
    scope?: RequestScope,
  ): Promise<AirudderRecord[]> {
    const headers = this.#sign(this.#credentials, {
      method: 'POST',
      path: SESSION_MESSAGES_PATH,
      // HttpClient sends JSON.stringify of the same object: these are the bytes on the wire.
      body: JSON.stringify(request),
    });
    const body = await this.#http.json(
      {
        method: 'POST',
        path: SESSION_MESSAGES_PATH,
        headers: { ...headers },
        body: request,
      },
      scope,
    );
    // The fast path reads the common shape; zod reads (or refuses) everything else, as before.
    const response = readAirudderSessionMessagesResponse(body, this.#source);
    const { code } = response;
    const requestId = response.request_id ?? null;
    if (code !== CODE_OK) {
      // Unless the table knows the code, the vendor's `message` says what was wrong with the
      // request: bounded, passed on.
      const said = response.message ? `: ${response.message.slice(0, 200)}` : '';
      throw envelopeError(
        ENVELOPE_CODES,
        this.#source,
        code,
        `Source "${this.#source}" answered session/messages with code ${code}${said}.`,
        { requestId },
      );
    }
    const data = response.data ?? [];
    // More than `size` is not an answer to this request, and reading it all costs memory that
    // other sources share: refused before a single record is parsed.
    if (data.length > request.size) {
      throw vendorBadResponse(
        this.#source,
        'data',
        `Source "${this.#source}" sent ${data.length} session/messages records when ${request.size} were asked for.`,
        { requestId },
      );
    }
    return data.map((raw, index) => ({
      record: readAirudderSessionMessage(raw, this.#source, index),
      raw,
    }));
  }
}
