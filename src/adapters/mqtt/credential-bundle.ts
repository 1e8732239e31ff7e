import type { Estate } from '../../core/estate.js';
import { type AclDevice, GATEWAY_USERNAME, mosquittoAcl, SIMULATOR_USERNAME } from './broker-acl.js';
import { generateDeviceSecret, hashDeviceSecret } from './device-secrets.js';

export type CredentialBundle = {
  /** `mqtt.deviceSecretsFile` content: `"<estateId>/<deviceId>"` → scrypt hash. */
  secretsFile: Record<string, string>;
  /** Every broker user with its plain password, for `mosquitto_passwd` (gateway, simulator, devices). */
  passwords: Map<string, string>;
  acl: string;
  /** `estate,device,username,password` lines for provisioning the devices; plain secrets. */
  plainCsv: string;
  gateway: { username: string; password: string };
  simulator?: { username: string; password: string };
};

export type BundleOptions = { shareGroup?: string | undefined; simulator?: boolean };

/**
 * A fresh secret for every device of the registries, the gateway (and, for demos, the simulator), and everything
 * derived from them. A device logs in with its id alone, so an id used in two estates is refused, naming both.
 */
export async function makeCredentialBundle(
  estates: readonly Estate[],
  o: BundleOptions = {},
): Promise<CredentialBundle> {
  const devices: AclDevice[] = [];
  const owner = new Map<string, string>();
  for (const estate of estates) {
    for (const deviceId of estate.devices.keys()) {
      const prior = owner.get(deviceId);
      if (prior !== undefined)
        throw new Error(
          `device "${deviceId}" is in estate "${prior}" and in estate "${estate.id}": devices log in with their id, so ids must be unique across the estates of one broker`,
        );
      owner.set(deviceId, estate.id);
      devices.push({ estateId: estate.id, deviceId });
    }
  }
  const gateway = { username: GATEWAY_USERNAME, password: generateDeviceSecret() };
  const simulator = o.simulator ? { username: SIMULATOR_USERNAME, password: generateDeviceSecret() } : undefined;
  const passwords = new Map<string, string>([[gateway.username, gateway.password]]);
  if (simulator) passwords.set(simulator.username, simulator.password);
  const secrets = devices.map((d) => ({ ...d, secret: generateDeviceSecret() }));
  // scrypt runs on libuv's thread pool, so hashing in parallel uses every pool thread
  const hashes = await Promise.all(secrets.map((s) => hashDeviceSecret(s.secret)));
  const secretsFile: Record<string, string> = {};
  const csv = ['estate,device,username,password'];
  for (const [i, s] of secrets.entries()) {
    secretsFile[`${s.estateId}/${s.deviceId}`] = hashes[i] as string;
    passwords.set(s.deviceId, s.secret);
    csv.push(`${s.estateId},${s.deviceId},${s.deviceId},${s.secret}`);
  }
  return {
    secretsFile,
    passwords,
    acl: mosquittoAcl({ devices, gatewayUser: gateway.username, shareGroup: o.shareGroup, simulator: !!simulator }),
    plainCsv: `${csv.join('\n')}\n`,
    gateway,
    ...(simulator ? { simulator } : {}),
  };
}
