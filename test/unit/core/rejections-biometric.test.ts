import { describe, expect, it } from 'vitest';
import { findBiometricData } from '../../../src/core/biometric-guard.js';
import { type REJECT_REASONS, safePreview } from '../../../src/core/rejections.js';

const preview = (text: string | Buffer, reason: (typeof REJECT_REASONS)[number] = 'invalid-event') =>
  safePreview(Buffer.isBuffer(text) ? text : Buffer.from(text), reason);

describe('safePreview', () => {
  it('keeps a short payload as it is', () => {
    expect(preview('{"id":"a-17","type":"alarm"}')).toBe('{"id":"a-17","type":"alarm"}');
  });

  it('keeps exactly 512 bytes without a truncation note', () => {
    const text = `{"pad":"${'x'.repeat(502)}"}`;
    expect(Buffer.byteLength(text)).toBe(512);
    expect(preview(text)).toBe(text.replace(/x{64,}/, '[long data]'));
  });

  it('cuts a longer payload to 512 bytes and notes its full size', () => {
    const text = `{"note":"${'ab '.repeat(300)}"}`;
    const out = preview(text);
    expect(out.endsWith(`… [${Buffer.byteLength(text)} bytes]`)).toBe(true);
    expect(out.startsWith(text.slice(0, 512))).toBe(true);
    expect(out).not.toContain(text.slice(0, 513));
  });

  it('marks a multi-byte character cut in half instead of keeping a broken one', () => {
    const text = `${'x '.repeat(255)}a盛华`; // 510 ASCII bytes, then "a" and the first two bytes of 盛
    const out = preview(text);
    expect(out).toContain('a?');
    expect(out).not.toContain('\uFFFD');
  });

  it.each([
    ['a person', '{"person":"L-10293","known":true}', '{"person":"[redacted]","known":true}'],
    ['a credential', '{"credential": "3", "ok":true}', '{"credential": "[redacted]", "ok":true}'],
    ['an escaped quote', '{"person":"a\\"b","x":1}', '{"person":"[redacted]","x":1}'],
    ['a number', '{"credential":12345678,"ok":true}', '{"credential":"[redacted]","ok":true}'],
    ['an unquoted word', '{"person":L-10293}', '{"person":"[redacted]"}'],
  ])('masks %s in an identifier field', (_, text, masked) => {
    expect(preview(text)).toBe(masked);
  });

  it('masks an identifier whose value the truncation cut off', () => {
    const text = `{"pad":"${'y '.repeat(245)}","person":"CANARY${'z'.repeat(40)}"}`;
    const out = preview(text);
    expect(out).toContain('"person":"[redacted]"…');
    expect(out).not.toContain('CANARY');
  });

  it('replaces runs of 64 or more base64 characters, but not 63', () => {
    expect(preview(`{"x":"${'A'.repeat(64)}"}`)).toBe('{"x":"[long data]"}');
    expect(preview(`{"x":"${'A'.repeat(63)}"}`)).toBe(`{"x":"${'A'.repeat(63)}"}`);
  });

  it('keeps nothing of a payload with biometric data', () => {
    expect(preview('{"image":"/9j/4AAQ"}', 'biometric-data')).toBe('[20 bytes withheld: biometric data]');
  });

  it('marks invalid UTF-8 bytes', () => {
    expect(preview(Buffer.from([0x7b, 0xff, 0x7d]), 'invalid-utf8')).toBe('{?}');
  });
});

describe('findBiometricData', () => {
  it.each(['image', 'picture', 'photo', 'face', 'feature', 'template', 'fingerprint', 'faceImage', 'FINGERPRINT_RAW'])(
    'flags a field named %s',
    (key) => {
      expect(findBiometricData({ id: 'x', [key]: 'v' })).toEqual({ path: `$.${key}`, why: 'field-name' });
    },
  );

  it.each(['surface', 'interface', 'battery', 'doorState', 'typeface'])(
    'leaves a harmless field named %s alone',
    (key) => {
      expect(findBiometricData({ id: 'x', [key]: 'v' })).toBeUndefined();
    },
  );

  it.each(['faces', 'faceimage', 'feature_vector', 'imgData', 'thumbnailUrl', 'face-embedding'])('flags %s', (key) => {
    expect(findBiometricData({ [key]: 'v' })).toEqual({ path: `$.${key}`, why: 'field-name' });
  });

  it('reports the path of a nested finding, never the value', () => {
    const found = findBiometricData({ meta: { shots: [{ ok: 1 }, { photo: 'SECRET' }] } });
    expect(found).toEqual({ path: '$.meta.shots[1].photo', why: 'field-name' });
    expect(JSON.stringify(found)).not.toContain('SECRET');
  });

  it.each([
    ['a JPEG', `/9j/4AAQSkZJRgABAQAAAQABAAD${'A'.repeat(60)}`],
    ['a PNG', `iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB${'A'.repeat(60)}`],
    ['a GIF', `R0lGODlhAQABAIAAAAAAAP${'A'.repeat(60)}`],
    ['a data URL', `data:image/jpeg;base64,${'A'.repeat(60)}`],
    ['256 characters of base64', 'Zm9v'.repeat(64)],
  ])('flags %s in a string value', (_, value) => {
    expect(findBiometricData({ note: value })).toEqual({ path: '$.note', why: 'image-data' });
  });

  it('does not flag 255 characters of base64', () => {
    expect(findBiometricData({ note: `${'Zm9v'.repeat(63)}Zm9` })).toBeUndefined();
  });

  it.each(['Qk0-3', 'Qk0xNzc2', 'R0lGODzz', 'UklGRr9', '/9j/a'])(
    'does not take an identifier that merely starts like an image header for an image: %s',
    (id) => {
      expect(findBiometricData({ id, person: id, credential: id })).toBeUndefined();
    },
  );

  it('checks image headers only in strings longer than any contract field (64 characters)', () => {
    expect(findBiometricData({ note: `Qk0${'A'.repeat(62)}` })).toEqual({ path: '$.note', why: 'image-data' });
    expect(findBiometricData({ note: `Qk0${'A'.repeat(61)}` })).toBeUndefined();
  });

  it('flags a numeric array longer than 16, but not one of 16 or a mixed one', () => {
    expect(findBiometricData({ v: Array.from({ length: 17 }, () => 0.5) })).toEqual({
      path: '$.v',
      why: 'numeric-vector',
    });
    expect(findBiometricData({ v: Array.from({ length: 16 }, () => 0.5) })).toBeUndefined();
    expect(findBiometricData({ v: [...Array.from({ length: 20 }, () => 1), 'x'] })).toBeUndefined();
  });

  it('stops at nesting deeper than 32 levels', () => {
    let value: unknown = 'leaf';
    for (let i = 0; i < 33; i++) value = [value];
    expect(findBiometricData(value)?.why).toBe('too-deep');
    let shallow: unknown = 'leaf';
    for (let i = 0; i < 32; i++) shallow = [shallow];
    expect(findBiometricData(shallow)).toBeUndefined();
  });

  it('finds nothing in the contract fields of an ordinary event', () => {
    const event = {
      id: 'b7-f381',
      seq: 381,
      ts: '2026-11-26T07:41:09+08:00',
      type: 'face',
      person: 'L-10293',
      known: true,
    };
    expect(findBiometricData(event)).toBeUndefined();
  });
});
