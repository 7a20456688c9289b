/**
 * weizhipin IM open platform: one function per endpoint, the tenant token from the source's
 * token cache, answers validated and errors typed. Neither the app secret nor the token ever
 * reaches an error message, an error detail or a log line.
 */
import {
  ChatgraphError,
  ERROR_CODES,
  envelopeError,
  vendorAuthFailed,
  vendorBadResponse,
  vendorTooLarge,
} from '../../errors.js';
import { parseWire } from '../../normalize/wire.js';
import type { HttpClient } from '../http.js';
import type { RequestScope } from '../request-scope.js';
import { ENVELOPE_CODES, TOKEN_REJECTED } from './errors.js';
import { readImMessage, readMessagesResponse } from './fast-wire.js';
import { type IssuedToken, TenantTokenCache, TokenRejectedError } from './token.js';
import {
  TOKEN_REJECTED_CODES,
  type WeizhipinImMessage,
  type WeizhipinImMessagesQuery,
  WeizhipinTenantAccessTokenResponse,
} from './wire.js';

export interface WeizhipinCredentials {
  appId: string;
  appSecret: string;
}

export interface WeizhipinRecord {
  record: WeizhipinImMessage;
  /** The record exactly as received. */
  raw: unknown;
}

export interface WeizhipinClientOptions {
  source: string;
  http: HttpClient;
  credentials: WeizhipinCredentials;
  /** Wall clock (epoch ms), for the token cache. */
  clock?: () => number;
}

export class WeizhipinClient {
  readonly #source: string;
  readonly #http: HttpClient;
  readonly #credentials: WeizhipinCredentials;
  readonly tokens: TenantTokenCache;

  constructor(options: WeizhipinClientOptions) {
    this.#source = options.source;
    this.#http = options.http;
    this.#credentials = options.credentials;
    this.tokens = new TenantTokenCache({
      fetch: (scope) => this.tenantAccessToken(scope),
      clock: options.clock,
    });
  }

  /**
   * A new tenant access token for the app.
   * Vendor: `../shared/vendors/weizhipin.md` (notes), `POST /open-apis/auth/tenant_access_token/internal`.
   */
  async tenantAccessToken(scope?: RequestScope): Promise<IssuedToken> {
    const body = await this.#http.json(
      {
        method: 'POST',
        path: '/open-apis/auth/tenant_access_token/internal',
        body: { app_id: this.#credentials.appId, app_secret: this.#credentials.appSecret },
      },
      scope,
    );
    const response = parseWire(WeizhipinTenantAccessTokenResponse, body, this.#source, 'tenant_access_token');
    if (response.code !== 0) {
      // Whatever the code, the token call failing is the app id and secret refused.
      throw vendorAuthFailed(
        this.#source,
        `The vendor refused a tenant access token to source "${this.#source}" (code ${response.code}); check its app id and secret.`,
        { vendorCode: response.code },
      );
    }
    if (response.token === null || response.expireSeconds === null || response.expireSeconds <= 0) {
      throw vendorBadResponse(
        this.#source,
        response.token === null ? 'tenant_access_token' : 'expire',
        `Source "${this.#source}" answered tenant_access_token without a token or its lifetime.`,
      );
    }
    return { token: response.token, expireSeconds: response.expireSeconds };
  }

  /**
   * One page of a one-to-one chat's history within a time window (at most one day).
   * Vendor: `../shared/vendors/weizhipin.md`, `GET /open-apis/im/v2/messages`.
   */
  async imMessages(query: WeizhipinImMessagesQuery, scope?: RequestScope): Promise<WeizhipinRecord[]> {
    return this.tokens
      .withToken(async (token) => {
        let body: unknown;
        try {
          body = await this.#http.json(
            {
              method: 'GET',
              path: '/open-apis/im/v2/messages',
              query: { ...query },
              headers: { authorization: `Bearer ${token}` },
              // Lark-style APIs may send their error envelope (an invalid-token code) with HTTP 400.
              envelopeStatuses: [400],
            },
            scope,
          );
        } catch (error) {
          // An HTTP 401 is the same verdict as the in-body code: a token worth refreshing once.
          if (error instanceof ChatgraphError && error.code === ERROR_CODES.VENDOR_AUTH_FAILED) {
            throw new TokenRejectedError(null);
          }
          throw error;
        }
        const response = readMessagesResponse(body, this.#source);
        if (TOKEN_REJECTED_CODES.has(response.code)) throw new TokenRejectedError(response.code);
        if (response.code !== 0) {
          throw envelopeError(
            ENVELOPE_CODES,
            this.#source,
            response.code,
            `Source "${this.#source}" answered im/v2/messages with code ${response.code}.`,
            // The vendor's trace id lets its support find the call.
            { traceId: response.traceId ?? undefined },
          );
        }
        // More than a page is not a page: refuse it before reading each record.
        if (response.data.length > query.page_size) {
          throw vendorTooLarge(
            this.#source,
            `${response.data.length} records to im/v2/messages when ${query.page_size} were asked for`,
          );
        }
        return response.data.map((raw, index) => ({
          record: readImMessage(raw, this.#source, `im/v2/messages record ${index}`),
          raw,
        }));
      }, scope)
      .catch((error: unknown) => {
        if (error instanceof TokenRejectedError) {
          throw vendorAuthFailed(this.#source, TOKEN_REJECTED.message(this.#source, error.vendorCode ?? 0), {
            vendorCode: error.vendorCode,
          });
        }
        throw error;
      });
  }
}
