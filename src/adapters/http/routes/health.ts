import type { FastifyInstance } from 'fastify';

export type Readiness = () => { redis: boolean; mqtt: boolean; ingest: boolean };

export function healthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/health/live', () => ({ status: 'ok' }));
  app.get('/health/ready', (_req, reply) => {
    const checks = readiness();
    const ready = checks.redis && checks.mqtt && checks.ingest;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });
}
