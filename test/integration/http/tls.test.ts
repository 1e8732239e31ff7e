import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../../helpers/gateway.js';

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One GET over HTTPS that trusts only `ca` (never a global switch that turns verification off). */
function httpsGet(port: number, path: string, ca: Buffer | undefined, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, headers, ...(ca ? { ca } : {}) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function plainGet(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS and WSS', () => {
  let dir: string;
  let ca: Buffer;
  let gw: TestGateway;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linli-tls-'));
    const [certFile, keyFile] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    // a self-signed certificate for 127.0.0.1: it is its own CA, which the clients below trust explicitly
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
        ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(certFile);
    gw = await startTestGateway({ listen: true, http: { tls: { certFile, keyFile } } });
    port = (gw.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await gw?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to a client that trusts the CA, with HSTS', async () => {
    const live = await httpsGet(port, '/health/live', ca);
    expect(live.status).toBe(200);
    expect(live.headers['strict-transport-security']).toBe('max-age=31536000');
    const alerts = await httpsGet(port, '/alerts', ca, gw.as('operator'));
    expect(alerts.status).toBe(200);
    expect(JSON.parse(alerts.body)).toHaveProperty('items');
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(httpsGet(port, '/health/live', undefined)).rejects.toThrow(/self[- ]signed/i);
  });

  it('serves the alert feed over WSS', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws/alerts`, { ca, headers: gw.as('operator') });
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      ws.once('message', (data) => resolve(JSON.parse(data.toString()) as { type: string }));
      ws.once('error', reject);
    });
    expect(first.type).toBe('ready');
    ws.terminate();
  });

  it('does not answer plain HTTP on the TLS port', async () => {
    const outcome = await plainGet(port, '/health/live').then(
      (status) => ({ status }),
      (err: Error) => ({ error: err.message }),
    );
    expect(outcome).not.toEqual({ status: 200 });
    expect(outcome).toHaveProperty('error');
  });
});
