import { createHash, timingSafeEqual } from 'node:crypto';
import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import type { Logger } from 'pino';
import { type BrokerIdentity, mayPublish, maySubscribe } from './broker-acl.js';
import { type DeviceSecrets, generateDeviceSecret, hashDeviceSecret, verifyDeviceSecret } from './device-secrets.js';

export type BrokerAuthOptions = {
  devices: DeviceSecrets;
  /** The gateway's own login at this broker (see startEmbeddedBroker: an ephemeral password). */
  gateway: { username: string; password: string };
  log: Logger;
  /** How long a verified device login skips scrypt (reconnect storms after a network blip). */
  cacheTtlMs?: number;
};

type Hooks = Required<
  Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe' | 'authorizeForward'>
>;

// CONNACK 5 "not authorized" for every refusal, so a guesser cannot tell an unknown device from a wrong secret
const NOT_AUTHORIZED = 5;
const CACHE_MAX = 10_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * aedes hooks that enforce the policy of broker-acl.ts: only known devices (scrypt-hashed secrets) and the gateway
 * connect; a device publishes only its own event and status topics (its last will goes through the same check when
 * aedes publishes it); devices subscribe to nothing and are forwarded nothing, even from a session they took over.
 */
export function createBrokerAuth(o: BrokerAuthOptions): Hooks {
  const { log } = o;
  const who = new WeakMap<Client, BrokerIdentity>();
  const gatewayDigest = sha256(`${o.gateway.username}\0${o.gateway.password}`);
  // client ids the gateway has used: a device taking one over would kick the gateway and inherit its session
  const gatewayClientIds = new Set<string>();
  const verified = new Map<string, number>(); // SHA-256 of user\0password → remembered until, epoch ms
  const ttlMs = o.cacheTtlMs ?? 10 * 60_000;
  // an unknown device costs the same scrypt as a wrong secret, so timing does not tell which devices exist
  let decoy: Promise<string> | undefined;

  async function identify(
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<BrokerIdentity | string> {
    if (username === undefined || password === undefined) return 'anonymous';
    const secret = password.toString('utf8');
    const digest = sha256(`${username}\0${secret}`);
    if (username === o.gateway.username)
      return timingSafeEqual(digest, gatewayDigest) ? { kind: 'gateway' } : 'wrong-secret';
    const device = o.devices.get(username);
    if (!device) {
      decoy ??= hashDeviceSecret(generateDeviceSecret());
      await verifyDeviceSecret(secret, await decoy);
      return 'unknown-device';
    }
    const key = digest.toString('base64url');
    const until = verified.get(key);
    if (until === undefined || until <= Date.now()) {
      verified.delete(key);
      if (!(await verifyDeviceSecret(secret, device.hash))) return 'wrong-secret';
      const oldest = verified.keys().next();
      if (verified.size >= CACHE_MAX && !oldest.done) verified.delete(oldest.value);
      verified.set(key, Date.now() + ttlMs);
    }
    return { kind: 'device', estateId: device.estateId, deviceId: device.deviceId };
  }

  const refuse = (message: string): AuthenticateError =>
    Object.assign(new Error(message), { returnCode: NOT_AUTHORIZED }) as AuthenticateError;

  return {
    authenticate(client, username, password, done) {
      identify(username, password).then(
        (id) => {
          if (typeof id === 'string') {
            log.warn({ clientId: client.id, username, reason: id }, 'mqtt connection refused');
            return done(refuse('not authorized'), false);
          }
          if (id.kind === 'device' && gatewayClientIds.has(client.id)) {
            log.warn(
              { clientId: client.id, deviceId: id.deviceId, reason: 'gateway-client-id' },
              'mqtt connection refused',
            );
            return done(refuse('not authorized'), false);
          }
          if (id.kind === 'gateway') gatewayClientIds.add(client.id);
          who.set(client, id);
          done(null, true);
        },
        (err: unknown) => {
          log.error({ err, clientId: client.id }, 'mqtt authentication failed');
          done(refuse('not authorized'), false);
        },
      );
    },

    authorizePublish(client, packet, done) {
      const id = client ? who.get(client) : undefined;
      if (id && mayPublish(id, packet.topic)) return done(null);
      // aedes closes the connection on this error: MQTT 3.1.1 has no way to refuse one PUBLISH (MQTT-3.3.5-2)
      log.warn(
        { deviceId: id?.kind === 'device' ? id.deviceId : undefined, clientId: client?.id, topic: packet.topic },
        'mqtt publish refused',
      );
      done(new Error(`not authorized to publish to ${packet.topic}`));
    },

    authorizeSubscribe(client, sub, done) {
      const id = who.get(client);
      if (id && maySubscribe(id, sub.topic)) return done(null, sub);
      log.warn(
        { deviceId: id?.kind === 'device' ? id.deviceId : undefined, clientId: client.id, filter: sub.topic },
        'mqtt subscription refused',
      );
      // null negates this one subscription (SUBACK 0x80) and keeps the connection
      done(null, null);
    },

    authorizeForward(client, packet) {
      return who.get(client)?.kind === 'gateway' ? packet : null;
    },
  };
}
