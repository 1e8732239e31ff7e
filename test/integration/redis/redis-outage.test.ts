import { type ChildProcess, spawn } from 'node:child_process';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { eventTopic } from '../../../src/adapters/mqtt/topics.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import { type Gateway, startGateway } from '../../../src/gateway.js';
import { access } from '../../helpers/contract.js';
import { freePort } from '../../helpers/mosquitto.js';
import { waitFor } from '../../helpers/wait.js';

/** A private Redis this test may kill: never the shared one on 6379. */
function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
}

describe('Redis going away while devices keep publishing', () => {
  let redis: ChildProcess | undefined;
  let gw: Gateway | undefined;
  afterAll(async () => {
    await gw?.stop();
    redis?.kill('SIGKILL');
  });

  it('stops acknowledging, reports not ready, and counts everything once Redis is back', async () => {
    const port = await freePort();
    redis = startRedis(port);
    const config = ConfigSchema.parse({
      estates: ['test/fixtures/estate.tiny.json'],
      redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'outage' },
      mqtt: { embeddedPort: 0 },
      privacy: { pseudonymKey: 'outage-test-key-0123456789-0123456789' },
    });
    const gateway = await waitFor(
      () => startGateway(config, { log: pino({ level: 'silent' }), listen: false }).catch(() => undefined),
      'gateway',
    );
    gw = gateway;
    let counted = 0;
    gateway.bus.on('eventCounted', () => counted++);
    const device = await mqtt.connectAsync(gateway.mqttUrl);
    const send = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const payload = JSON.stringify(access(`e${i}`, Date.now() - 1000, 'A'));
        await device.publishAsync(eventTopic('tiny', 'lock-b1-101'), payload, { qos: 1 });
      }
    };

    await send(0, 50);
    await waitFor(() => counted === 50, 'the first 50 events');
    redis.kill('SIGKILL');
    await send(50, 50);
    await waitFor(
      async () => (await gateway.app.inject({ url: '/health/ready' })).statusCode === 503,
      'readiness to turn false',
      10_000,
    );
    expect(counted).toBe(50);

    redis = startRedis(port);
    await waitFor(() => counted === 100, 'the backlog to drain after Redis returns', 30_000);
    expect((await gateway.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    await device.endAsync();
  }, 60_000);
});
