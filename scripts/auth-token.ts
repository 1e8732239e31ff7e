/**
 * `npm run auth:token -- --id ops-1 --role operator --estates shjy,hyxc [--expires 2027-06-30T00:00:00+08:00]`:
 * makes a bearer token, prints it once (hand it to its holder; it is stored nowhere) and the principal entry with
 * its hash for `auth.principals` in the configuration.
 * `npm run auth:token -- --hash < token.txt`: prints only the hash of a token read from stdin.
 */
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { generateToken, hashToken, parseToken } from '../src/adapters/http/auth.js';
import { ConfigSchema } from '../src/config/schema.js';
import { ROLES } from '../src/core/access.js';
import { ID_PATTERN } from '../src/core/events.js';
import { UsageError } from './usage-error.js';

const USAGE =
  'usage: auth:token -- --id ID --role ROLE --estates ID,ID…|all [--expires ISO-DATE]\n' +
  '       auth:token -- --hash   (reads the token from stdin)';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      id: { type: 'string' },
      role: { type: 'string' },
      estates: { type: 'string' },
      expires: { type: 'string' },
      hash: { type: 'boolean', default: false },
    },
  });

  if (values.hash) {
    if (values.id ?? values.role ?? values.estates ?? values.expires)
      throw new UsageError(`--hash takes no other option\n${USAGE}`);
    const token = (await text(process.stdin)).trim();
    if (!parseToken(token)) throw new UsageError('stdin: expected one token <id>.<secret>, as this command prints it');
    console.log(await hashToken(token));
    return;
  }

  const { id, role, estates, expires } = values;
  if (id === undefined || role === undefined || estates === undefined)
    throw new UsageError(`--id, --role and --estates are required\n${USAGE}`);
  if (!ID_PATTERN.test(id)) throw new UsageError(`--id: must be 1-64 letters, digits, _ or - (got "${id}")`);
  if (!isRole(role)) throw new UsageError(`--role: must be one of ${ROLES.join(', ')} (got "${role}")`);
  const estateIds = estates.split(',').map((s) => s.trim());
  const bad = estateIds.filter((e) => !ID_PATTERN.test(e));
  if (estates !== 'all' && bad.length)
    throw new UsageError(`--estates: "all" or a comma-separated list of estate ids; not an id: "${bad.join('", "')}"`);
  const expiresMs = expires === undefined ? undefined : Date.parse(expires);
  if (expiresMs !== undefined && !Number.isFinite(expiresMs))
    throw new UsageError(`--expires: not a date: "${expires}"`);
  if (expiresMs !== undefined && expiresMs <= Date.now()) throw new UsageError(`--expires: already past: "${expires}"`);

  const token = generateToken(id);
  const entry = {
    id,
    role,
    estates: estates === 'all' ? 'all' : estateIds,
    tokenHash: await hashToken(token),
    ...(expiresMs === undefined ? {} : { expiresAt: new Date(expiresMs).toISOString() }),
  };
  // the entry goes through the schema the gateway loads it with, so what is printed is what will be accepted
  const check = ConfigSchema.safeParse({ auth: { principals: [entry] } });
  if (!check.success)
    throw new UsageError(check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

  console.log(`token for ${id} (give it to its holder now; it is not stored and cannot be shown again):\n${token}\n`);
  console.log(`add to auth.principals in the configuration:\n${JSON.stringify(entry, null, 2)}`);
}

function isRole(value: string): value is (typeof ROLES)[number] {
  return (ROLES as readonly string[]).includes(value);
}

main().catch((err: unknown) => {
  process.stderr.write(`auth:token: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
