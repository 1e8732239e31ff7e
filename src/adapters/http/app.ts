import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { DetectionFor } from '../../core/detection.js';
import type { ProfileView } from '../../core/estate-profile.js';
import type { AlertStore, CorrelationStore } from '../../core/ports.js';
import type { EstateRegistry } from '../../core/registry.js';
import type { RedisAlertFeed } from '../redis/alert-feed.js';
import type { RedisDeadLetters } from '../redis/dead-letter-store.js';
import type { AlertHub } from '../ws/alert-hub.js';
import { alertsStreamRoute } from '../ws/alerts-stream.js';
import { alertRoutes } from './routes/alerts.js';
import { controlRoomRoutes } from './routes/control-room.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { healthRoutes, type Readiness } from './routes/health.js';
import { unitRoutes } from './routes/units.js';

export type HttpDeps = {
  log: Logger;
  registry: EstateRegistry;
  store: CorrelationStore;
  alerts: AlertStore;
  deadLetters: RedisDeadLetters;
  feed: RedisAlertFeed;
  hub: AlertHub;
  readiness: Readiness;
  detection: DetectionFor;
  /** The estate's own distributions, as the ingest keeps them; a unit's estimate is read against them. */
  profile?: (estateId: string) => ProfileView;
  ws: { heartbeatS: number; maxBufferedBytes: number };
};

/** Builds the REST and WebSocket API without listening, so tests drive it with inject / injectWS. */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 10_000,
  });
  await app.register(websocket, { options: { maxPayload: 4096 } });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(status).send({ error: 'internal error', code: 'GW_ERR_INTERNAL' });
    }
    return reply.code(status).send({ error: err.message, code: err.code ?? 'GW_ERR_BAD_REQUEST' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no route ${req.method} ${req.url}`, code: 'GW_ERR_NOT_FOUND' }),
  );

  controlRoomRoutes(app);
  healthRoutes(app, deps.readiness);
  alertRoutes(app, deps.alerts);
  unitRoutes(app, deps);
  deadLetterRoutes(app, deps.deadLetters);
  alertsStreamRoute(app, { ...deps.ws, hub: deps.hub, feed: deps.feed, log: deps.log });
  return app;
}
