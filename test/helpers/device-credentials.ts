import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { loadEstateFiles } from '../../src/adapters/estate-files.js';
import { type CredentialBundle, makeCredentialBundle } from '../../src/adapters/mqtt/credential-bundle.js';
import { writeMosquittoPasswordFile } from '../../src/adapters/mqtt/mosquitto-passwd.js';

export type TestCredentials = {
  bundle: CredentialBundle;
  secretsFile: string;
  passwdFile: string;
  aclFile: string;
  /** The plain secret of a device of the tiny estate. */
  secretOf(deviceId: string): string;
};

let made: Promise<TestCredentials> | undefined;

/**
 * Credentials for the tiny estate, written as `npm run mqtt:credentials` writes them (with share group `g1`), made
 * once per process since scrypt is slow. The files are readable by all: a Mosquitto started as root drops to its
 * own user before it reads them.
 */
export function tinyCredentials(): Promise<TestCredentials> {
  made ??= (async () => {
    const bundle = await makeCredentialBundle(loadEstateFiles(['test/fixtures/estate.tiny.json']), {
      shareGroup: 'g1',
    });
    const dir = mkdtempSync(join(tmpdir(), 'linli-mqtt-credentials-'));
    const secretsFile = join(dir, 'device-secrets.json');
    const passwdFile = join(dir, 'mosquitto.passwd');
    const aclFile = join(dir, 'mosquitto.acl');
    writeFileSync(secretsFile, JSON.stringify(bundle.secretsFile));
    writeFileSync(aclFile, bundle.acl);
    await writeMosquittoPasswordFile(passwdFile, bundle.passwords);
    chmodSync(dir, 0o755);
    for (const f of [secretsFile, passwdFile, aclFile]) chmodSync(f, 0o644);
    const secretOf = (deviceId: string): string => {
      const secret = bundle.passwords.get(deviceId);
      if (secret === undefined) throw new Error(`no device ${deviceId} in the tiny estate`);
      return secret;
    };
    return { bundle, secretsFile, passwdFile, aclFile, secretOf };
  })();
  return made;
}

/** Connects once, without retrying: the client, or the reason the broker (or the transport) refused it. */
export async function tryConnect(
  url: string,
  opts: IClientOptions = {},
): Promise<{ ok: true; client: MqttClient } | { ok: false; error: Error & { code?: number } }> {
  try {
    const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts }, false);
    return { ok: true, client };
  } catch (error) {
    return { ok: false, error: error as Error & { code?: number } };
  }
}

/** Every message a client receives, for assertions that something does (or never does) arrive. */
export function collect(client: MqttClient): { topic: string; payload: string }[] {
  const got: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return got;
}
