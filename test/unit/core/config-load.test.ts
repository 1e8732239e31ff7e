import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { detectionPerEstate } from '../../../src/core/detection.js';

const dir = mkdtempSync(join(tmpdir(), 'linli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const MISSING = join(dir, 'missing.json');

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('per-estate detection', () => {
  it('calibrates one estate over the global settings and leaves the others on them', () => {
    const file = configFile({
      detection: { overCapacityMargin: 3 },
      estateDetection: { hyxc: { trafficPercentile: 98, openingsPerPersonDay: 2.5 } },
    });
    const config = loadConfig({ LINLI_CONFIG: file });
    const detectionFor = detectionPerEstate(config.detection, config.estateDetection);
    expect(detectionFor('hyxc')).toMatchObject({
      overCapacityMargin: 3,
      trafficPercentile: 98,
      openingsPerPersonDay: 2.5,
    });
    expect(detectionFor('other')).toMatchObject({
      overCapacityMargin: 3,
      trafficPercentile: 95,
      openingsPerPersonDay: null,
    });
    expect(detectionFor('other')).toBe(config.detection);
  });

  it("names the estate and the setting of a bad calibration, with the setting's own bounds", () => {
    const file = configFile({ estateDetection: { hyxc: { trafficPercentile: 20, overCapacityMarg: 1 } } });
    const err = configError(() => loadConfig({ LINLI_CONFIG: file }));
    expect(err.message).toContain('estateDetection.hyxc.trafficPercentile');
    expect(err.message).toMatch(/>=50/);
    expect(err.message).toContain('overCapacityMarg');
  });
});

describe('loadConfig', () => {
  it('falls back to the schema defaults when the default file is absent', () => {
    const config = loadConfig({}, MISSING);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080, allowedOrigins: [] });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', keyPrefix: 'linli' });
    expect(config.ingest).toEqual({
      maxFutureS: 300,
      maxBatch: 500,
      deviceRate: { perSecond: 20, burst: 600, estates: {}, clearAfterS: 300, updateEveryS: 60 },
    });
    expect(config.detection).toMatchObject({ windowDays: 14, linkGapS: 180, minLinkDays: 3, minCredentialDays: 2 });
    expect(config.estates).toEqual(['config/estate.sample.json']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the file that LINLI_CONFIG names', () => {
    const file = configFile({ http: { port: 9001 }, detection: { windowDays: 7 } });
    const config = loadConfig({ LINLI_CONFIG: file });
    expect(config.http.port).toBe(9001);
    expect(config.detection.windowDays).toBe(7);
    expect(config.detection.linkGapS).toBe(180);
  });

  it('lays environment variables over the file', () => {
    const file = configFile({ http: { port: 9001 }, redis: { url: 'redis://file:6379' } });
    const config = loadConfig({
      LINLI_CONFIG: file,
      PORT: '9090',
      REDIS_URL: 'redis://10.0.0.5:6380',
      ESTATE_FILE: 'a.json, b.json',
      WINDOW_DAYS: '21',
      MAX_FUTURE_S: '60',
    });
    expect(config.http.port).toBe(9090);
    expect(config.redis.url).toBe('redis://10.0.0.5:6380');
    expect(config.estates).toEqual(['a.json', 'b.json']);
    expect(config.detection.windowDays).toBe(21);
    expect(config.ingest.maxFutureS).toBe(60);
  });

  it('turns the future-timestamp bound off with MAX_FUTURE_S=off', () => {
    expect(loadConfig({ MAX_FUTURE_S: 'off' }, MISSING).ingest.maxFutureS).toBeNull();
  });

  it('turns the per-device rate limit off with DEVICE_RATE_PER_S=off, or sets it', () => {
    expect(loadConfig({ DEVICE_RATE_PER_S: 'off' }, MISSING).ingest.deviceRate.perSecond).toBeNull();
    expect(loadConfig({ DEVICE_RATE_PER_S: '5' }, MISSING).ingest.deviceRate.perSecond).toBe(5);
  });

  it('names the path of a bad per-device rate limit, an estate override included', () => {
    const file = configFile({
      ingest: { deviceRate: { perSecond: 0, estates: { hyxc: { burst: 0.5 }, 'bad id': {} } } },
    });
    const err = configError(() => loadConfig({ LINLI_CONFIG: file }));
    expect(err.message).toContain('ingest.deviceRate.perSecond');
    expect(err.message).toContain('ingest.deviceRate.estates.hyxc.burst');
    expect(err.message).toContain('ingest.deviceRate.estates.bad id');
  });

  it('ignores an empty environment variable', () => {
    expect(loadConfig({ PORT: '' }, MISSING).http.port).toBe(8080);
  });

  it('names the key and the variable of a bad PORT', () => {
    expect(configError(() => loadConfig({ PORT: 'abc' }, MISSING)).message).toMatchInlineSnapshot(
      `"invalid configuration: http.port (env PORT): Invalid input: expected number, received NaN"`,
    );
  });

  it('names the key and the variable of a REDIS_URL that is not redis://', () => {
    expect(configError(() => loadConfig({ REDIS_URL: 'http://x' }, MISSING)).message).toMatchInlineSnapshot(
      `"invalid configuration: redis.url (env REDIS_URL): must start with redis:// or rediss://"`,
    );
  });

  it('reports every bad value in one error', () => {
    const err = configError(() => loadConfig({ PORT: 'abc', REDIS_URL: 'http://x', MAX_FUTURE_S: 'soon' }, MISSING));
    expect(err.message).toContain('http.port (env PORT)');
    expect(err.message).toContain('redis.url (env REDIS_URL)');
    expect(err.message).toContain('ingest.maxFutureS (env MAX_FUTURE_S)');
    expect(err.message.startsWith('invalid configuration: ')).toBe(true);
  });

  it('names an unknown key of the config file and the file', () => {
    const file = configFile({ colour: 'blue' });
    const err = configError(() => loadConfig({ LINLI_CONFIG: file }));
    expect(err.message).toBe(`invalid configuration: (root) (in ${file}): Unrecognized key: "colour"`);
  });

  it('names an unknown detection setting', () => {
    const file = configFile({ detection: { windowDay: 7 } });
    expect(configError(() => loadConfig({ LINLI_CONFIG: file })).message).toContain(
      `detection (in ${file}): Unrecognized key: "windowDay"`,
    );
  });

  it('names a bad value in the file with the file', () => {
    const file = configFile({ detection: { windowDays: 0 } });
    expect(configError(() => loadConfig({ LINLI_CONFIG: file })).message).toContain(
      `detection.windowDays (in ${file}): Too small`,
    );
  });

  it('refuses a LINLI_CONFIG that does not exist or is not JSON', () => {
    expect(configError(() => loadConfig({ LINLI_CONFIG: MISSING })).message).toBe(`config file ${MISSING}: not found`);
    const broken = configFile('{"http":');
    expect(configError(() => loadConfig({ LINLI_CONFIG: broken })).message).toMatch(/^config file .*: /);
  });

  it('says where a config file stops being JSON without quoting its text, which may hold a secret', () => {
    const broken = configFile('{"privacy":{"pseudonymKey":"s3cret-s3cret-s3cret-s3cret-s3cret" oops}}');
    const message = configError(() => loadConfig({ LINLI_CONFIG: broken })).message;
    expect(message).toMatch(/not valid JSON \(at character \d+\)$/);
    expect(message).not.toContain('s3cret');
  });
});
