import pino, { type Logger } from 'pino';

/**
 * The server log. Call sites log identifiers and counts only, never message text, customer or user IDs, filters or
 * keys; the redaction below is a second line of defence should a request object ever be logged whole.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'lethe' },
    redact: { paths: ['req.headers.authorization', 'req.headers["x-watson-metadata"]', 'req.query', 'req.body', 'req.url'], censor: '[redacted]' },
  });
}
