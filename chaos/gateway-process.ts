import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

export type Handled = { counted: number; duplicates: number; rejected: number };

/**
 * One gateway process: started from a config file, killed with SIGKILL or stopped, restarted with the same
 * configuration (and so the same MQTT client id and persistent session). `handled` adds up what each of its lives
 * reported.
 */
export class GatewayProcess {
  readonly #configFile: string;
  readonly #port: number;
  #proc: ChildProcess | undefined;
  #lives: Handled[] = [];

  constructor(configFile: string, port: number) {
    this.#configFile = configFile;
    this.#port = port;
  }

  async start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    const life: Handled = { counted: 0, duplicates: 0, rejected: 0 };
    this.#lives.push(life);
    const proc = fork(new URL('./gateway-child.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env, LINLI_CONFIG: this.#configFile },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#proc = proc;
    proc.on('message', (m: { type: string } & Partial<Handled>) => {
      if (m.type === 'handled')
        Object.assign(life, { counted: m.counted, duplicates: m.duplicates, rejected: m.rejected });
    });
    const [ready] = await Promise.race([
      once(proc, 'message') as Promise<[{ type: string }]>,
      once(proc, 'exit').then(([code]) => {
        throw new Error(`the gateway exited with ${code} before it was ready`);
      }),
    ]);
    if (ready.type !== 'ready') throw new Error(`the gateway sent ${ready.type} before it was ready`);
  }

  get alive(): boolean {
    return this.#proc !== undefined && this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** Resolves when the process has exited (a self-kill included). */
  async exited(): Promise<void> {
    const proc = this.#proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) await once(proc, 'exit');
  }

  async kill(): Promise<void> {
    const proc = this.#proc;
    if (!proc || !this.alive) return;
    proc.kill('SIGKILL');
    await once(proc, 'exit');
  }

  async stop(): Promise<void> {
    const proc = this.#proc;
    if (!proc || !this.alive) return;
    proc.send({ type: 'stop' });
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await once(proc, 'exit');
    clearTimeout(killer);
  }

  get handled(): Handled {
    const t = { counted: 0, duplicates: 0, rejected: 0 };
    for (const l of this.#lives) {
      t.counted += l.counted;
      t.duplicates += l.duplicates;
      t.rejected += l.rejected;
    }
    return t;
  }

  /** What each life reported, oldest first. */
  get lives(): readonly Handled[] {
    return this.#lives;
  }

  /** What the current life has handled: the drain check watches it stop moving. */
  get current(): Handled {
    return this.#lives.at(-1) ?? { counted: 0, duplicates: 0, rejected: 0 };
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.#port}/health/ready`, { signal: AbortSignal.timeout(1000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Resident memory of the gateway process, MiB (Linux). */
  rssMiB(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.#proc?.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      return Number.isFinite(kb) ? kb / 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}
