// debugging aid (not committed): plays a named scenario through the engine in-process and traces some units
import { randomUUID } from 'node:crypto';
import { loadNamedScenario } from '../simulators/lib/index.js';
import { parseTopic } from '../src/adapters/mqtt/topics.js';
import { connectRedis } from '../src/adapters/redis/connect.js';
import { deleteKeysUnder } from '../src/adapters/redis/delete-keys.js';
import { ConfigSchema } from '../src/config/schema.js';
import { estimateOccupancy, occupancyContextOf } from '../src/core/occupancy.js';
import { EstateRegistry } from '../src/core/registry.js';
import { createEngine } from '../src/engine.js';
import { createLogger } from '../src/logger.js';

const [name = 'no-face-gates', seed = '1', ...units] = process.argv.slice(2);
const scenario = loadNamedScenario(name, { seed: Number(seed) });
const prefix = `trace-${randomUUID().slice(0, 8)}`;
const config = ConfigSchema.parse({ redis: { keyPrefix: prefix }, log: { level: 'silent' } });
const redis = await connectRedis(config.redis.url);
const registry = new EstateRegistry([scenario.estate]);
const log = createLogger('silent');
const engine = createEngine({ config, redis, registry, log, maxFutureMs: null });
for (const u of units) {
  const t = scenario.truth.units.find((x) => x.unitId === u);
  console.log(u, JSON.stringify(t));
}
let batch: { topic: string; payload: Buffer; origin: string }[] = [];
let lastDay = '';
const flush = async () => {
  if (batch.length) await engine.ingest(batch as never);
  batch = [];
};
for (const e of scenario.events()) {
  batch.push({ topic: e.topic, payload: Buffer.from(JSON.stringify(e.payload)), origin: parseTopic(e.topic) } as never);
  if (batch.length >= 500) await flush();
  const day = new Date(e.tsMs + 8 * 3600e3).toISOString().slice(0, 10);
  if (day !== lastDay) {
    await flush();
    lastDay = day;
    for (const u of units) {
      const unit = scenario.estate.units.get(u)!;
      const s = await engine.store.readUnit(scenario.estate, unit);
      if (!s) continue;
      const est = estimateOccupancy(
        s,
        occupancyContextOf(
          scenario.estate,
          unit,
          engine.detection(scenario.estate.id),
          engine.profile.view(scenario.estate.id),
        ),
      );
      const alerts = await engine.alerts.list({ estateId: scenario.estate.id, unitId: u, limit: 5 });
      console.log(
        day,
        u,
        `cred ${s.credentials.active}/${s.credentials.distinct} e${s.credentials.enrolled} r${s.credentials.removed}`,
        `faces ${est.fromFaces}`,
        `recent ${s.recent.identified}+${s.recent.anonymous}`,
        `traffic ${est.traffic ? `${est.traffic.people} p${est.traffic.percentile} ${est.traffic.counts} ${est.traffic.blindSpot ?? ''}` : '-'}`,
        `=> ${est.people} ${est.basis} c${est.confidence}`,
        alerts.map((a) => `${a.kind}:${a.status}`).join(','),
      );
    }
  }
}
await flush();
await deleteKeysUnder(redis, prefix);
await redis.quit();
