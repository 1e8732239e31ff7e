/**
 * `npm run audit:verify`: reads the whole audit log of the configured Redis and key prefix and checks its hash
 * chain and tip. Exit 0: intact (the tip is printed, so that it can be noted elsewhere and compared next time: a
 * chain rewritten from some entry on is only caught that way). Exit 1: tampered, naming the first entry where the
 * chain stops holding. Exit 2: nothing was verified (bad usage, bad configuration, Redis unreachable).
 */
import { auditHash, readAuditChain } from '../src/adapters/redis/audit-log.js';
import { connectRedis } from '../src/adapters/redis/connect.js';
import { createKeys } from '../src/adapters/redis/keys.js';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { verifyAuditChain } from '../src/core/audit.js';

const EXIT_INTACT = 0;
const EXIT_TAMPERED = 1;
const EXIT_NOT_VERIFIED = 2;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length) throw new ConfigError(`usage: audit:verify (no arguments; REDIS_URL and KEY_PREFIX choose the log)`);
  const config = loadConfig();
  const redis = await connectRedis(config.redis);
  try {
    const { records, tip } = await readAuditChain(redis, createKeys(config.redis.keyPrefix));
    const verdict = verifyAuditChain(records, tip, auditHash);
    if (!verdict.ok) {
      console.log(`AUDIT LOG TAMPERED at entry #${verdict.seq}: ${verdict.detail} [${verdict.reason}]`);
      return EXIT_TAMPERED;
    }
    const count = verdict.checked.toLocaleString('en-US');
    console.log(
      tip
        ? `audit log intact: ${count} entries, tip #${tip.seq} ${tip.hash.slice(0, 16)}`
        : 'audit log intact: 0 entries (empty)',
    );
    return EXIT_INTACT;
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`audit:verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT_NOT_VERIFIED);
  },
);
