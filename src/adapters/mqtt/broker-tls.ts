import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PeerCertificate } from 'node:tls';

/** `mqtt.tls` of the configuration: file paths. */
export type MqttTlsConfig = {
  certFile?: string | undefined;
  keyFile?: string | undefined;
  caFile?: string | undefined;
};

/** What the gateway's MQTT client adds to its connect options (mqtt.js passes them on to `tls.connect`). */
export type MqttClientTls = {
  ca?: Buffer;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
};

export type ServerTls = { cert: Buffer; key: Buffer; ca?: Buffer };

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(
      `mqtt.tls.${what}: cannot read ${path} (${e.code === 'ENOENT' ? 'not found' : (e.code ?? e.message)})`,
    );
  }
}

/** The embedded broker's certificate and key, or undefined when `mqtt.tls` names none (plain MQTT). */
export function readServerTls(tls: MqttTlsConfig | undefined): ServerTls | undefined {
  if (!tls?.certFile || !tls.keyFile) return undefined;
  const server: ServerTls = { cert: readPem(tls.certFile, 'certFile'), key: readPem(tls.keyFile, 'keyFile') };
  if (tls.caFile) server.ca = readPem(tls.caFile, 'caFile');
  return server;
}

/**
 * Client options for the gateway's own connection to its embedded TLS broker. That connection goes to a loopback or
 * wildcard address the certificate does not name, so instead of the host name it pins the exact certificate the
 * broker serves; the chain is still verified, against `ca` or (self-signed) the certificate itself.
 */
export function pinnedClientTls(server: ServerTls): MqttClientTls {
  const own = new X509Certificate(server.cert).fingerprint256;
  return {
    ca: server.ca ?? server.cert,
    checkServerIdentity: (_host, cert) =>
      cert.fingerprint256 === own ? undefined : new Error('the embedded broker presented another certificate'),
  };
}

/** For an external `mqtts://` broker: trust the configured CA instead of the system's; host names are still checked. */
export function externalClientTls(tls: MqttTlsConfig | undefined): MqttClientTls | undefined {
  return tls?.caFile ? { ca: readPem(tls.caFile, 'caFile') } : undefined;
}
