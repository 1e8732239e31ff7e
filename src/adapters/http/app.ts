import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { servesEstate } from '../../core/access.js';
import type { AuditLog } from '../../core/audit.js';
import type { CaseService } from '../../core/cases/case-service.js';
import type { CaseStore } from '../../core/cases/case-store.js';
import type { DetectionFor } from '../../core/detection.js';
import type { DeviceMonitor } from '../../core/device-monitor.js';
import type { ProfileView } from '../../core/estate-profile.js';
import type { AlertStore, CorrelationStore } from '../../core/ports.js';
import type { EstateRegistry } from '../../core/registry.js';
import type { RedisDeadLetters } from '../redis/dead-letter-store.js';
import type { ControlRoomUpdate, PoliceUpdate } from '../redis/feed-entries.js';
import type { RedisStreamFeed } from '../redis/stream-feed.js';
import type { Hub } from '../ws/alert-hub.js';
import { feedRoute } from '../ws/feed-stream.js';
import type { Authenticator } from './auth.js';
import { normaliseOrigin } from './origin-check.js';
import { type RateLimiter, type RateLimitSettings, registerRateLimit } from './rate-limit.js';
import { type AdminRouteDeps, adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { caseRoutes } from './routes/cases.js';
import { controlRoomRoutes } from './routes/control-room.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { deviceRoutes } from './routes/devices.js';
import { healthRoutes, type Readiness } from './routes/health.js';
import { type PrivacyRouteDeps, privacyRoutes } from './routes/privacy.js';
import { unitRoutes } from './routes/units.js';
import { securityHeaders } from './security-headers.js';
import { readTls, type TlsFiles } from './tls.js';

export type HttpDeps = {
  log: Logger;
  registry: EstateRegistry;
  store: CorrelationStore;
  alerts: AlertStore;
  deadLetters: RedisDeadLetters;
  controlRoom: { feed: RedisStreamFeed<ControlRoomUpdate>; hub: Hub<ControlRoomUpdate> };
  police: { feed: RedisStreamFeed<PoliceUpdate>; hub: Hub<PoliceUpdate> };
  auth: Authenticator;
  cases: CaseService;
  caseStore: CaseStore;
  /** Appends to the audit log: reads by the police role. */
  auditRead: (who: { actor: string; role: string }, object: string) => Promise<unknown>;
  audit: AuditLog;
  reloadEstates: AdminRouteDeps['reloadEstates'];
  erase: PrivacyRouteDeps['erase'];
  auditErasure: PrivacyRouteDeps['auditErasure'];
  readiness: Readiness;
  detection: DetectionFor;
  /** Device health (`GET /estates/:estateId/devices`). */
  devices?: DeviceMonitor;
  /** The estate's own distributions, as the ingest keeps them; a unit's estimate is read against them. */
  profile?: (estateId: string) => ProfileView;
  ws: { heartbeatS: number; maxBufferedBytes: number };
  /** Request budgets shared by the instances (see rate-limit.ts) and the settings they are checked against. */
  rateLimit: { limiter: RateLimiter; settings: RateLimitSettings };
  /** Browser origins that may open a WebSocket feed besides the API's own. */
  allowedOrigins: readonly string[];
  /** Serve HTTPS/WSS with this certificate; absent: plain HTTP. */
  tls?: TlsFiles | undefined;
};

/** Request bodies past this are refused with 413 before they are parsed (the largest real one is a case action). */
const BODY_LIMIT = 64 * 1024;
/** A WebSocket frame past this closes the socket with 1009; clients only ever send `{"type":"ping"}`. */
const WS_MAX_PAYLOAD = 4096;
/** Orchestrator probes: never rate limited, so a throttled client cannot make the instance look dead. */
const EXEMPT_ROUTES = new Set(['/health/live', '/health/ready']);

/** Builds the REST and WebSocket API without listening, so tests drive it with inject / injectWS. */
export async function buildHttpApp(deps: HttpDeps): Promise<FastifyInstance> {
  const options = {
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 10_000,
  };
  // an https server is typed apart from an http one; the routes use nothing of the raw server, so one type serves
  const app = (deps.tls
    ? Fastify({ ...options, https: readTls(deps.tls) })
    : Fastify(options)) as unknown as FastifyInstance;
  // read by checkOrigin, the first onRequest hook of the WebSocket routes (feed-stream.ts)
  app.decorate('allowedOrigins', new Set(deps.allowedOrigins.map(normaliseOrigin)) as ReadonlySet<string>);
  app.addHook('onSend', securityHeaders({ tls: deps.tls !== undefined }));
  registerRateLimit(app, {
    ...deps.rateLimit,
    log: deps.log,
    exempt: (req) => EXEMPT_ROUTES.has(req.routeOptions.url ?? ''),
  });
  await app.register(websocket, {
    options: {
      maxPayload: WS_MAX_PAYLOAD,
      // the control-room page offers its token as the subprotocol pair `linli.bearer, <token>`; agree to the first
      handleProtocols: (offered: Set<string>) => (offered.has('linli.bearer') ? 'linli.bearer' : false),
    },
  });

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
  alertRoutes(app, deps);
  unitRoutes(app, deps);
  if (deps.devices) deviceRoutes(app, { ...deps, devices: deps.devices });
  deadLetterRoutes(app, deps);
  caseRoutes(app, deps);
  adminRoutes(app, deps);
  privacyRoutes(app, deps);
  const feedCommon = { ...deps.ws, auth: deps.auth, log: deps.log };
  feedRoute(app, {
    ...feedCommon,
    ...deps.controlRoom,
    path: '/ws/alerts',
    action: 'feed.control-room',
    frame: (u) =>
      u.type === 'alert'
        ? { type: 'alert', change: u.change, alert: u.alert }
        : { type: 'case', change: u.change, case: u.case },
    visible: (p, u) => servesEstate(p, u.type === 'alert' ? u.alert.estateId : u.case.estateId),
  });
  feedRoute(app, {
    ...feedCommon,
    ...deps.police,
    path: '/ws/police',
    action: 'feed.police',
    frame: (u) => ({ type: 'police', entry: u.entry }),
    visible: (p, u) => servesEstate(p, u.entry.estateId),
    onSubscribe: (p, req) => deps.auditRead({ actor: p.id, role: p.role }, `feed ${req.url}`),
  });
  return app;
}
