import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { externalClientTls } from './broker-tls.js';
import type { BrokerLogin, EmbeddedBroker } from './embedded-broker.js';

/**
 * How the gateway's MQTT client logs in: at its embedded broker with the login that broker made for it, or at an
 * external broker with the configured user, password and CA. Settings that only the embedded broker uses are named
 * in a warning when an external broker is configured, so nobody believes devices are checked by them.
 */
export function gatewayLogin(mqtt: Config['mqtt'], broker: EmbeddedBroker | undefined, log: Logger): BrokerLogin {
  if (broker) return broker.login;
  const ignored = [
    ...(mqtt.deviceSecretsFile ? ['mqtt.deviceSecretsFile'] : []),
    ...(mqtt.tls?.certFile ? ['mqtt.tls.certFile', 'mqtt.tls.keyFile'] : []),
  ];
  if (ignored.length)
    log.warn({ ignored }, 'settings of the embedded broker are ignored: the external broker (mqtt.url) checks devices');
  const tls = externalClientTls(mqtt.tls);
  return {
    ...(mqtt.username === undefined ? {} : { username: mqtt.username }),
    ...(mqtt.password === undefined ? {} : { password: mqtt.password }),
    ...(tls ? { tls } : {}),
  };
}
