import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout. Credentials are redacted by path as a second line of defence: the code
 * never logs them on purpose.
 */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino({
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: {
      paths: ['*.headers.cookie', '*.headers.authorization', '*.secret', '*.token', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
