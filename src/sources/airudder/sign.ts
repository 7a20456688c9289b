/**
 * The `X-AIRudder-Sign` / `X-AIRudder-Sign-Key` headers. AIRUDDER does not publish how `Sign` is
 * computed (its own curl example sends an empty one), so the rule lives in this one function:
 * when the real algorithm is known, only `airudderSign` changes, and the emulator (which checks
 * headers with the same function) follows.
 */

export interface AirudderCredentials {
  /** The account's sign key, sent as `X-AIRudder-Sign-Key`. */
  signKey: string;
  /** What to send as `X-AIRudder-Sign`; empty as in the vendor's example. */
  sign: string;
}

/** What a signature could cover: the exact bytes sent. */
export interface AirudderSignInput {
  method: 'POST';
  path: string;
  /** The JSON body exactly as sent. */
  body: string;
}

export interface AirudderSignHeaders {
  'X-AIRudder-Sign': string;
  'X-AIRudder-Sign-Key': string;
}

export type AirudderSigner = (
  credentials: AirudderCredentials,
  input: AirudderSignInput,
) => AirudderSignHeaders;

/** Today's rule: the configured values, passed through as the vendor's example does. */
export const airudderSign: AirudderSigner = (credentials) => ({
  'X-AIRudder-Sign': credentials.sign,
  'X-AIRudder-Sign-Key': credentials.signKey,
});
