import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger };

/** Fields that hold credentials whatever the vendor: HTTP headers, API keys, webhook secrets. */
const GENERIC_SECRET_FIELDS = ['headers', 'cookie', 'authorization', 'secret', 'token', 'apiKey'];

/**
 * JSON lines on stdout (or `destination`). Each GraphQL operation logs through a child carrying
 * its `requestId` (`ctx.log`), and each vendor call through a child of that one carrying `callId`
 * and `source`. Credentials are redacted by path as a second line of defence: the code never logs
 * headers, query strings, bodies or secrets on purpose.
 */
export function createLogger(
  options: {
    level?: string;
    destination?: DestinationStream;
    /** Configuration fields that hold secrets (`VendorDefinition.secretFields`), redacted too. */
    secretFields?: readonly string[];
  } = {},
): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          ...new Set(
            [...GENERIC_SECRET_FIELDS, ...(options.secretFields ?? [])].map((field) => `*.${field}`),
          ),
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
