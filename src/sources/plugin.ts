/**
 * What each vendor folder exports so that configuration, the source registry and the sandbox can
 * treat the four vendors alike.
 */
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { SecretSchema } from '../config/secret.js';
import { invalidArgument } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Vendor } from '../model/index.js';
import type { SourceTelemetry } from './http.js';
import type { AnySource } from './source.js';

export interface SourceDeps {
  logger: Logger;
  /** The source's HTTP dispatcher; a new agent of its own when absent. */
  dispatcher?: Dispatcher;
  /** Wall clock (epoch ms), for sources that compute times such as link expiries. */
  clock?: () => number;
  /** Told about every vendor call of the source (metrics, spans). */
  telemetry?: SourceTelemetry;
}

export interface VendorPlugin<
  Config extends { name: string; vendor: Vendor } = { name: string; vendor: Vendor },
> {
  vendor: Vendor;
  /** The zod schema of this vendor's source configuration, secrets resolved through `secret`. */
  configSchema(secret: SecretSchema): z.ZodType<Config>;
  createSource(config: Config, deps: SourceDeps): AnySource;
}

const EXTERNAL_ID = /^[\w.:@=+-]{1,256}$/;

/** The external-id check every vendor shares: no whitespace, no control characters, bounded. */
export function checkExternalId(externalId: string, what = 'conversation id'): string {
  if (!EXTERNAL_ID.test(externalId)) {
    throw invalidArgument(`Not a valid ${what}: letters, digits and ._:@=+- only, 1 to 256 characters.`, {
      field: 'externalId',
    });
  }
  return externalId;
}
