import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../../src/adapters/mqtt/embedded-broker.js';
import { connectRedis, RedisUnavailableError } from '../../../src/adapters/redis/connect.js';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';
import { freePort } from '../../helpers/mosquitto.js';

describe('gateway start-up and registry reload', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.cleanup();
    gw = undefined;
  });

  it('fails fast with one line that says how to start a Redis when none answers', async () => {
    const port = await freePort();
    const err = await connectRedis(`redis://127.0.0.1:${port}`, 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toContain(`cannot reach Redis at redis://127.0.0.1:${port}`);
    expect((err as Error).message).toContain('redis-server --port 6379');
    expect((err as Error).message).not.toContain('\n');
  });

  it('says which port is taken when the embedded broker cannot listen', async () => {
    const first = await startEmbeddedBroker('127.0.0.1', 0);
    const err = await startEmbeddedBroker('127.0.0.1', first.port).catch((e: unknown) => e);
    await first.close();
    expect((err as Error).message).toContain(`127.0.0.1:${first.port} is in use`);
    expect((err as Error).message).toContain('MQTT_URL');
  });

  it('reloads the estate registry, and keeps the running one when the new file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-estate-'));
    const file = join(dir, 'estate.json');
    copyFileSync('test/fixtures/estate.tiny.json', file);
    gw = await startTestGateway({ estates: [file] });
    expect(gw.registry.device('tiny', 'lock-b1-999')).toBeUndefined();

    const estate = JSON.parse(readFileSync(file, 'utf8'));
    estate.buildings[0].units.push({ id: 'b1-999', floor: 6, rooms: 1, areaM2: 30, registered: 1 });
    estate.devices.push({ id: 'lock-b1-999', kind: 'door-lock', unit: 'b1-999' });
    writeFileSync(file, JSON.stringify(estate));
    expect(await gw.reloadEstates()).toEqual({ ok: true });
    expect(gw.registry.device('tiny', 'lock-b1-999')).toMatchObject({ unitId: 'b1-999', buildingId: 'b1' });

    estate.devices.push({ id: 'lock-b9-1', kind: 'door-lock', unit: 'b9-1' });
    writeFileSync(file, JSON.stringify(estate));
    // an admin asks over REST; anyone else may not
    expect(
      (await gw.app.inject({ method: 'POST', url: '/admin/estates/reload', headers: gw.as('supervisor') })).statusCode,
    ).toBe(403);
    const refused = await gw.app.inject({ method: 'POST', url: '/admin/estates/reload', headers: gw.as('admin') });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatch(/devices\[\d+\] \(device "lock-b9-1"\): unit "b9-1" is not in any building/);
    expect(gw.registry.device('tiny', 'lock-b1-999')).toBeDefined();

    // both changes are in the audit trail, which auditors and admins read
    const audit = await gw.app.inject({ url: '/audit', headers: gw.as('auditor') });
    const reloads = audit.json().items.filter((e: { action: string }) => e.action === 'config.estates-reload');
    expect(reloads.map((e: { actor: string; result: string }) => `${e.actor}:${e.result}`)).toEqual([
      'sighup:ok',
      'test-admin:failed',
    ]);
    expect((await gw.app.inject({ url: '/audit', headers: gw.as('operator') })).statusCode).toBe(403);
  });
});
