import pino, { type Logger } from 'pino';

/** One pino instance for the process; secrets never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['password', '*.password', 'pseudonymKey', '*.pseudonymKey', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
