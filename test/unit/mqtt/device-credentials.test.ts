import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEstateFiles } from '../../../src/adapters/estate-files.js';
import { GATEWAY_USERNAME, mayPublish, maySubscribe, mosquittoAcl } from '../../../src/adapters/mqtt/broker-acl.js';
import { makeCredentialBundle } from '../../../src/adapters/mqtt/credential-bundle.js';
import {
  DeviceSecretsError,
  loadDeviceSecrets,
  parseDeviceSecrets,
  verifyDeviceSecret,
} from '../../../src/adapters/mqtt/device-secrets.js';
import { writeMosquittoPasswordFile } from '../../../src/adapters/mqtt/mosquitto-passwd.js';
import { parseEstate } from '../../../src/core/estate.js';

const HASH = 'scrypt$16384$8$1$4ETTMbwMvlx6g8wcE9JKTw==$I4G6F/zGFMFMTGSqOXL9CWQcH0oCxBD2jF702tO+LDQ=';
const tiny = () => loadEstateFiles(['test/fixtures/estate.tiny.json']);

const problem = (input: unknown): string => {
  try {
    parseDeviceSecrets(input, 'secrets.json');
  } catch (err) {
    expect(err).toBeInstanceOf(DeviceSecretsError);
    return (err as Error).message;
  }
  throw new Error('expected a DeviceSecretsError');
};

describe('device secrets file', () => {
  it('reads entries by device id', () => {
    const secrets = parseDeviceSecrets({ 'tiny/gate-main': HASH, 'other/lock-1': HASH });
    expect(secrets.get('gate-main')).toEqual({ estateId: 'tiny', deviceId: 'gate-main', hash: HASH });
    expect(secrets.get('lock-1')?.estateId).toBe('other');
  });

  it('names the entry whose key is not <estateId>/<deviceId>', () => {
    expect(problem({ 'gate-main': HASH })).toMatchInlineSnapshot(
      `"secrets.json: "gate-main": must be "<estateId>/<deviceId>", each 1-64 letters, digits, _ or -"`,
    );
    expect(problem({ 'tiny/gate main': HASH })).toContain('"tiny/gate main": must be "<estateId>/<deviceId>"');
  });

  it('names the entry whose hash is not a scrypt hash', () => {
    expect(problem({ 'tiny/gate-main': HASH, 'tiny/gate-b1': 'hunter2' })).toMatchInlineSnapshot(
      `"secrets.json: "tiny/gate-b1": must be scrypt$<N>$<r>$<p>$<saltB64>$<hashB64>, as \`npm run mqtt:credentials\` writes it"`,
    );
  });

  it('refuses a device id in two estates, since devices log in with their id alone', () => {
    expect(problem({ 'a/gate-main': HASH, 'b/gate-main': HASH })).toMatchInlineSnapshot(
      `"secrets.json: "b/gate-main": device id "gate-main" is also "a/gate-main"; devices log in with their id, so it must be unique across estates"`,
    );
  });

  it('says what the file must be when it is not an object', () => {
    expect(problem(['tiny/gate-main'])).toBe(
      'secrets.json: (root): must be a JSON object of "<estateId>/<deviceId>": hash',
    );
  });

  it('names the file that is missing or not JSON, without quoting its content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-secrets-'));
    expect(() => loadDeviceSecrets(join(dir, 'none.json'))).toThrow(`device secrets file ${dir}/none.json: not found`);
    writeFileSync(join(dir, 'bad.json'), `{"tiny/gate-main": "${HASH}",`);
    expect(() => loadDeviceSecrets(join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON$/);
  });
});

describe('broker policy', () => {
  const a = { kind: 'device', estateId: 'tiny', deviceId: 'gate-main' } as const;
  const gateway = { kind: 'gateway' } as const;

  it('lets a device publish only its own event and status topics', () => {
    expect(mayPublish(a, 'linli/v1/tiny/gate-main/event')).toBe(true);
    expect(mayPublish(a, 'linli/v1/tiny/gate-main/status')).toBe(true);
    expect(mayPublish(a, 'linli/v1/tiny/gate-b1/event')).toBe(false);
    expect(mayPublish(a, 'linli/v1/other/gate-main/event')).toBe(false);
    expect(mayPublish(a, 'linli/v1/tiny/gate-main/event/x')).toBe(false);
    expect(mayPublish(a, 'linli/gateway/gateway-1/status')).toBe(false);
  });

  it('lets the gateway publish only gateway status topics, and read only the device tree', () => {
    expect(mayPublish(gateway, 'linli/gateway/gateway-1/status')).toBe(true);
    expect(mayPublish(gateway, 'linli/v1/tiny/gate-main/event')).toBe(false);
    expect(maySubscribe(gateway, 'linli/v1/+/+/event')).toBe(true);
    expect(maySubscribe(gateway, '$share/g1/linli/v1/+/+/status')).toBe(true);
    expect(maySubscribe(gateway, '#')).toBe(false);
    expect(maySubscribe(gateway, '$SYS/#')).toBe(false);
  });

  it('lets devices read nothing', () => {
    expect(maySubscribe(a, 'linli/v1/tiny/gate-main/event')).toBe(false);
    expect(maySubscribe(a, '#')).toBe(false);
  });
});

describe('credentials for a registry', () => {
  it('writes a Mosquitto ACL where each device writes its own two topics and the gateway reads', () => {
    const estate = parseEstate({
      estate: { id: 'e1', name: 'E', timezone: 'Asia/Shanghai' },
      buildings: [{ id: 'b1', floors: 2, units: [{ id: 'u1', floor: 1, rooms: 1, areaM2: 30, registered: 1 }] }],
      devices: [
        { id: 'gate-1', kind: 'face-gate' },
        { id: 'lock-u1', kind: 'door-lock', unit: 'u1' },
      ],
    });
    const devices = [...estate.devices.values()].map(({ estateId, deviceId }) => ({ estateId, deviceId }));
    expect(mosquittoAcl({ devices, shareGroup: 'g1' })).toMatchInlineSnapshot(`
      "# Generated by \`npm run mqtt:credentials\` from the estate registry; regenerate it, do not edit it.
      # Devices publish only their own event and status topics and read nothing.

      user linli.gateway
      topic read linli/v1/#
      topic read $share/g1/linli/v1/#
      topic write linli/gateway/+/status

      user gate-1
      topic write linli/v1/e1/gate-1/event
      topic write linli/v1/e1/gate-1/status

      user lock-u1
      topic write linli/v1/e1/lock-u1/event
      topic write linli/v1/e1/lock-u1/status
      "
    `);
  });

  it('gives every device of the tiny estate a secret that its hash verifies, and lists it for provisioning', async () => {
    const bundle = await makeCredentialBundle(tiny());
    const secrets = parseDeviceSecrets(bundle.secretsFile);
    expect([...secrets.keys()].sort()).toEqual(
      ['gate-b1', 'gate-main', 'lock-b1-101', 'lock-b1-102', 'lock-b1-201', 'smoke-b1-101', 'stair-b1-1'].sort(),
    );
    const rows = bundle.plainCsv.trim().split('\n');
    expect(rows[0]).toBe('estate,device,username,password');
    expect(rows).toHaveLength(8);
    for (const row of rows.slice(1)) {
      const [estateId, deviceId, username, secret] = row.split(',') as [string, string, string, string];
      expect({ estateId, username }).toEqual({ estateId: 'tiny', username: deviceId });
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bundle.passwords.get(deviceId)).toBe(secret);
      expect(await verifyDeviceSecret(secret, secrets.get(deviceId)?.hash ?? '')).toBe(true);
    }
    expect(bundle.passwords.get(GATEWAY_USERNAME)).toBe(bundle.gateway.password);
    expect(bundle.acl).toContain('user lock-b1-101\ntopic write linli/v1/tiny/lock-b1-101/event\n');
    expect(bundle.acl).not.toContain('linli.simulator');
  });

  it('refuses registries that share a device id, naming both estates', async () => {
    const [estate] = tiny();
    const twin = { ...estate!, id: 'twin' };
    await expect(makeCredentialBundle([estate!, twin])).rejects.toThrow(
      /device "gate-main" is in estate "tiny" and in estate "twin"/,
    );
  });

  it('writes a password file in Mosquitto format through mosquitto_passwd, leaving no plain copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-passwd-'));
    const file = join(dir, 'mosquitto.passwd');
    await writeMosquittoPasswordFile(
      file,
      new Map([
        ['linli.gateway', 'gw-secret'],
        ['gate-main', 'device-secret'],
      ]),
    );
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['linli.gateway', 'gate-main']);
    for (const line of lines) expect(line).toMatch(/^[^:]+:\$[67]\$/);
    expect(readFileSync(file, 'utf8')).not.toContain('secret');
    expect(readdirSync(dir)).toEqual(['mosquitto.passwd']);
  });
});
