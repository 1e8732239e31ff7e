import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type PrivateBroker = { url: string; port: number; pid: number | undefined; stop(): Promise<void> };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mosquitto did not listen on ${port}`);
}

/**
 * A private Mosquitto on a free loopback port. Debian's default keeps at most 1,000 queued QoS 1 messages per
 * client and silently drops the rest, so a test that bursts sets `max_queued_messages 0` (no limit) here.
 */
export async function startMosquitto(
  extraConfig: string[] = [],
  opts: { port?: number; persistenceDir?: string } = {},
): Promise<PrivateBroker> {
  const port = opts.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'linli-mosquitto-'));
  // sessions and queued messages survive a restart on the same directory (saved when the broker stops); started
  // as root, Mosquitto drops to its own user, which must be able to write there
  if (opts.persistenceDir) chmodSync(opts.persistenceDir, 0o777);
  const persistence = opts.persistenceDir
    ? ['persistence true', `persistence_location ${opts.persistenceDir.replace(/\/?$/, '/')}`]
    : ['persistence false'];
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      ...persistence,
      'max_queued_messages 0',
      'max_inflight_messages 100',
      ...extraConfig,
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: proc.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
