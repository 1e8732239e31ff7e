/**
 * The main job on a fresh machine: the gateway with its embedded broker, the simulator playing the sample estate
 * through it, every alert printed as it is raised, then a comparison with the simulator's ground truth.
 * `--exit` stops after the summary; otherwise the API keeps serving until Ctrl-C.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { generateScenario, publishScenario, writeTruth } from '../simulators/lib/index.js';
import { ephemeralPrincipals } from '../src/adapters/http/ephemeral-principals.js';
import { duplicateConnection } from '../src/adapters/redis/connect.js';
import { deleteKeysUnder } from '../src/adapters/redis/delete-keys.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import type { Alert } from '../src/core/alerts.js';
import { startGateway } from '../src/gateway.js';
import { tallyHandled } from '../src/handled-tally.js';
import { createLogger } from '../src/logger.js';
import { printAlert, summarise } from './demo-report.js';

const Args = z.strictObject({
  days: z.coerce.number().int().min(1).max(60).default(14),
  seed: z.coerce.number().int().default(42),
  exit: z.boolean().default(false),
});

function parseArgs(argv: string[]) {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--exit') raw.exit = true;
    else if (a.startsWith('--')) raw[a.slice(2)] = argv[++i];
  }
  const parsed = Args.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `demo: ${parsed.error.issues.map((i) => `--${i.path.join('.') || i.message}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // the demo owns its key prefix and starts from a clean slate each run; the embedded broker takes a free port
  // unless one is configured, so a Mosquitto already on 1883 does not get in the way
  // 14 days in a minute or two: per device that is a flood, so the demo turns the per-device limit off
  const env = {
    KEY_PREFIX: 'linli-demo',
    EMBEDDED_MQTT_PORT: '0',
    LOG_LEVEL: 'warn',
    DEVICE_RATE_PER_S: 'off',
    ...process.env,
  };
  const configured = loadConfig(env);
  // with no principals configured, the demo makes one per role for this run only and prints their tokens
  const demoTokens = configured.auth.principals.length ? undefined : await ephemeralPrincipals('demo');
  const config = demoTokens
    ? { ...configured, auth: { ...configured.auth, principals: demoTokens.principals } }
    : configured;
  const log = createLogger(config.log.level);
  const gateway = await startGateway(config, { log });
  const removed = await deleteKeysUnder(gateway.redis, config.redis.keyPrefix);
  const estate = gateway.registry.estates()[0];
  if (!estate) throw new Error('no estate loaded');
  console.log(
    `Linli gateway: API http://${config.http.host}:${config.http.port}  MQTT ${gateway.mqttUrl}  Redis ${config.redis.url}`,
  );
  console.log(
    `estate ${estate.id} (${estate.name}): ${estate.buildings.size} buildings, ${estate.units.size} units; ${removed} keys of an earlier demo removed`,
  );

  if (demoTokens) {
    console.log(
      'bearer tokens for this run (the control-room page asks for one; REST: Authorization: Bearer <token>):',
    );
    for (const [role, token] of Object.entries(demoTokens.tokens)) console.log(`  ${role.padEnd(10)} ${token}`);
  }

  const tally = tallyHandled(gateway.bus);
  gateway.bus.on('alertChanged', ({ change, alert }) => {
    if (change === 'raised') printAlert(alert);
  });

  const scenario = generateScenario({ estate, days: args.days, seed: args.seed });
  mkdirSync('out', { recursive: true });
  await writeTruth('out/truth.json', scenario.truth);
  console.log(`simulating ${args.days} days (seed ${args.seed}); ground truth in out/truth.json\n`);
  const started = Date.now();
  const sim = await publishScenario(gateway.mqttUrl, scenario, { speed: 'max' });
  if (!(await tally.untilHandled(sim.published))) {
    console.warn(
      `warning: ${sim.published - tally.handled()} of ${sim.published} events not handled after 30 s without progress`,
    );
  }
  const elapsedS = (Date.now() - started) / 1000;

  const alerts: Alert[] = await gateway.alerts.list({ limit: 100_000 });
  const summary = summarise(
    alerts,
    scenario.truth,
    {
      counted: tally.counted,
      duplicates: tally.duplicates,
      rejected: tally.rejected,
      published: sim.published,
      elapsedS,
    },
    config.detection.unregisteredMargin,
  );
  writeFileSync('out/demo-summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\n${summary.text}\nsummary in out/demo-summary.json`);

  if (args.exit) {
    // nothing left behind in a shared Redis; without --exit the data stays for the API until the next demo
    // the gateway first: its case follower and audit log would otherwise write again after the cleanup
    const redis = duplicateConnection(gateway.redis);
    await gateway.stop();
    await deleteKeysUnder(redis, config.redis.keyPrefix);
    redis.disconnect();
    return;
  }
  console.log(`\nAPI still serving on http://${config.http.host}:${config.http.port} (Ctrl-C to stop)`);
  const stop = () => void gateway.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`linli demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
