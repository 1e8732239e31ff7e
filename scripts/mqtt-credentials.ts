/**
 * `npm run mqtt:credentials -- --estate config/estate.sample.json [--estate …] --out deploy/mqtt
 *    [--share-group linli] [--simulator] [--force]`
 * makes a random secret for every device of the registries and for the gateway, and writes into --out:
 *   device-secrets.json       scrypt hashes, for the embedded broker (`mqtt.deviceSecretsFile`)
 *   mosquitto.passwd          Mosquitto `password_file` (hashed by `mosquitto_passwd -U`)
 *   mosquitto.acl             Mosquitto `acl_file`: each device writes its own two topics, the gateway reads
 *   gateway.env               MQTT_USERNAME / MQTT_PASSWORD of the gateway at Mosquitto
 *   simulator.env             (--simulator, demos only) MQTT_SIMULATOR_PASSWORD of a user that publishes as any device
 *   device-secrets.PLAIN.csv  the plain device secrets, for provisioning: move it off this machine
 * Running it again replaces every secret, so every device must be provisioned again; it refuses without --force.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEstateFiles } from '../src/adapters/estate-files.js';
import { makeCredentialBundle } from '../src/adapters/mqtt/credential-bundle.js';
import { writeMosquittoPasswordFile } from '../src/adapters/mqtt/mosquitto-passwd.js';
import { UsageError } from './usage-error.js';

const USAGE =
  'usage: mqtt:credentials -- --estate FILE [--estate FILE…] --out DIR [--share-group NAME] [--simulator] [--force]';

const OUTPUT_FILES = {
  secrets: 'device-secrets.json',
  passwd: 'mosquitto.passwd',
  acl: 'mosquitto.acl',
  gatewayEnv: 'gateway.env',
  simulatorEnv: 'simulator.env',
  plain: 'device-secrets.PLAIN.csv',
} as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      estate: { type: 'string', multiple: true },
      out: { type: 'string' },
      'share-group': { type: 'string' },
      simulator: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
    },
  });
  const { estate, out } = values;
  const shareGroup = values['share-group'];
  if (!estate?.length || out === undefined) throw new UsageError(`--estate and --out are required\n${USAGE}`);
  if (shareGroup !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(shareGroup))
    throw new UsageError(`--share-group: must be 1-64 letters, digits, _ or - (got "${shareGroup}")`);
  const existing = Object.values(OUTPUT_FILES).filter((f) => existsSync(join(out, f)));
  if (existing.length && !values.force)
    throw new UsageError(
      `${out} already holds ${existing.join(', ')}; new secrets lock out every provisioned device. Add --force to replace them`,
    );

  const estates = loadEstateFiles(estate);
  const bundle = await makeCredentialBundle(estates, { shareGroup, simulator: values.simulator });
  mkdirSync(out, { recursive: true, mode: 0o700 });
  const secret = { mode: 0o600 };
  writeFileSync(join(out, OUTPUT_FILES.secrets), `${JSON.stringify(bundle.secretsFile, null, 2)}\n`, secret);
  await writeMosquittoPasswordFile(join(out, OUTPUT_FILES.passwd), bundle.passwords);
  writeFileSync(join(out, OUTPUT_FILES.acl), bundle.acl, { mode: 0o644 });
  writeFileSync(
    join(out, OUTPUT_FILES.gatewayEnv),
    `MQTT_USERNAME=${bundle.gateway.username}\nMQTT_PASSWORD=${bundle.gateway.password}\n`,
    secret,
  );
  if (bundle.simulator)
    writeFileSync(
      join(out, OUTPUT_FILES.simulatorEnv),
      `MQTT_SIMULATOR_PASSWORD=${bundle.simulator.password}\n`,
      secret,
    );
  writeFileSync(join(out, OUTPUT_FILES.plain), bundle.plainCsv, secret);

  const devices = Object.keys(bundle.secretsFile).length;
  console.log(`${devices} devices of ${estates.map((e) => e.id).join(', ')}; files in ${out}:`);
  for (const f of Object.values(OUTPUT_FILES)) if (existsSync(join(out, f))) console.log(`  ${f}`);
  console.warn(
    `\nWARNING: ${join(out, OUTPUT_FILES.plain)} holds every device's secret in plain text. Provision the devices, ` +
      'then move it off this machine (or delete it); it must never be committed or backed up with the gateway.' +
      `\n${OUTPUT_FILES.gatewayEnv}${bundle.simulator ? ` and ${OUTPUT_FILES.simulatorEnv}` : ''} hold plain passwords too: keep them with the deployment's secrets.`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`mqtt:credentials: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
