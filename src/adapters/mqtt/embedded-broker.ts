import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export type EmbeddedBroker = { url: string; port: number; close(): Promise<void> };

/**
 * An in-process MQTT broker (aedes) so the gateway runs with nothing but Redis installed. Estates run a real
 * broker (Mosquitto, EMQX); this one keeps sessions in memory, so they do not survive a gateway restart.
 */
export async function startEmbeddedBroker(host: string, port: number): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
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
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `mqtt://${host}:${actualPort}`,
    port: actualPort,
    async close() {
      // the broker first: it drops its clients, without which the server would wait for them forever
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
