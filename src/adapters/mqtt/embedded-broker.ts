import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import pino, { type Logger } from 'pino';
import { GATEWAY_USERNAME } from './broker-acl.js';
import { createBrokerAuth } from './broker-auth.js';
import { type MqttClientTls, type MqttTlsConfig, pinnedClientTls, readServerTls } from './broker-tls.js';
import { generateDeviceSecret, loadDeviceSecrets } from './device-secrets.js';

/** What the gateway's own client needs to connect to this broker like any other client. */
export type BrokerLogin = { username?: string; password?: string; tls?: MqttClientTls };

export type EmbeddedBroker = { url: string; port: number; login: BrokerLogin; close(): Promise<void> };

export type EmbeddedBrokerOptions = {
  /** `mqtt.deviceSecretsFile`: with it only known devices connect; without it anyone does (development only). */
  deviceSecretsFile?: string | undefined;
  /** `mqtt.tls`: with a cert and key the broker speaks MQTT over TLS only (mqtts://). */
  tls?: MqttTlsConfig | undefined;
  log?: Logger;
};

/**
 * An in-process MQTT broker (aedes) so the gateway runs with nothing but Redis installed. Estates run a real
 * broker (Mosquitto, EMQX); this one keeps sessions in memory, so they do not survive a gateway restart.
 */
export async function startEmbeddedBroker(
  host: string,
  port: number,
  opts: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const log = opts.log ?? pino({ level: 'silent' });
  const serverTls = readServerTls(opts.tls);
  const login: BrokerLogin = serverTls ? { tls: pinnedClientTls(serverTls) } : {};
  let broker: Aedes;
  if (opts.deviceSecretsFile) {
    const devices = loadDeviceSecrets(opts.deviceSecretsFile);
    // The gateway's in-process client connects over the socket like any device, so it needs a login too. Its
    // password is made here, lives only in this process's memory and changes on every start: nothing to configure,
    // store or leak, and it dies with the broker, whose sessions are in memory anyway.
    const gateway = { username: GATEWAY_USERNAME, password: generateDeviceSecret() };
    Object.assign(login, gateway);
    broker = await Aedes.createBroker(createBrokerAuth({ devices, gateway, log }));
    log.info({ devices: devices.size, file: opts.deviceSecretsFile }, 'embedded MQTT broker authenticates devices');
  } else {
    broker = await Aedes.createBroker();
    log.warn(
      'embedded MQTT broker accepts anonymous devices on any topic (development only): ' +
        'set mqtt.deviceSecretsFile, made by `npm run mqtt:credentials`',
    );
  }
  const server: Server = serverTls ? createTlsServer(serverTls, broker.handle) : createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      broker.close();
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `cannot start the embedded MQTT broker: ${host}:${port} is in use (another broker?). ` +
                `Use it with MQTT_URL=mqtt://${host}:${port}, or pick another port with EMBEDDED_MQTT_PORT`,
            )
          : err,
      );
    });
    server.listen(port, host, () => resolve());
  });
  // a TLS handshake that fails (a plain mqtt:// client, a wrong certificate) is the client's problem, not the server's
  server.on('tlsClientError', (err: Error) => log.debug({ err: err.message }, 'mqtt tls handshake failed'));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `${serverTls ? 'mqtts' : 'mqtt'}://${host}:${actualPort}`,
    port: actualPort,
    login,
    async close() {
      // the broker first: it drops its clients, without which the server would wait for them forever
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
