import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const PAGE = new URL('../../../web/index.html', import.meta.url);

/** The control-room page: one static file that follows /ws/alerts. Read once at start; it never changes at run time. */
export function controlRoomRoutes(app: FastifyInstance): void {
  const html = readFileSync(PAGE, 'utf8');
  app.get('/', (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header(
        'content-security-policy',
        "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
      )
      .send(html),
  );
}
