import { execFile } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Writes a Mosquitto `password_file` in Mosquitto's own hash format by letting `mosquitto_passwd -U` (Debian package
 * mosquitto) hash a plain `user:password` file in place, so the format is always the installed broker's. The plain
 * file exists only for that one call, with mode 0600, next to the target.
 */
export async function writeMosquittoPasswordFile(path: string, users: ReadonlyMap<string, string>): Promise<void> {
  for (const name of users.keys()) {
    if (!name || /[:\s]/.test(name)) throw new Error(`mosquitto user name "${name}" may not contain ":" or spaces`);
  }
  const plain = `${path}.plain-${process.pid}`;
  writeFileSync(plain, [...users].map(([user, password]) => `${user}:${password}\n`).join(''), { mode: 0o600 });
  try {
    await run('mosquitto_passwd', ['-U', plain]);
    renameSync(plain, path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('mosquitto_passwd not found: install it (apt-get install mosquitto) or run this where it is');
    throw new Error(`mosquitto_passwd -U failed: ${e.stderr?.trim() || e.message}`);
  } finally {
    rmSync(plain, { force: true });
  }
}
