import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Secrets that may sit in a logged object. Bearer tokens travel in the Authorization header, and from browsers in
 * the WebSocket subprotocol list (see feed-stream.ts); scrypt hashes and keys come with a logged configuration.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
  'headers["sec-websocket-protocol"]',
  '*.headers.authorization',
  'authorization',
  'password',
  '*.password',
  'pseudonymKey',
  '*.pseudonymKey',
  'tokenHash',
  '*.tokenHash',
  'secret',
  '*.secret',
];

/** Query parameters a client might put a token in (the authenticator refuses them, but the URL is logged first). */
const TOKEN_QUERY = /([?&](?:token|access_token|auth|bearer|jwt)=)[^&#]*/gi;

type LoggedRequest = {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
};

/**
 * Replaces fastify's request serializer (it merges ours over its own): the same fields, never a header, and a
 * token pasted into the query string shows as `[redacted]`.
 */
function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: req.url?.replace(TOKEN_QUERY, '$1[redacted]'),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** One pino instance for the process; secrets never reach a log line. `destination` is for tests (a log sink). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
  return destination ? pino(options, destination) : pino(options);
}
