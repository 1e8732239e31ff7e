/**
 * Finds what looks like raw biometric data in a decoded payload. The contract rejects such an event whole,
 * and nothing of it may be stored, so the guard reports only the path and the kind of finding, never the value.
 */

// Matched per word of a field name (`faceImage`, `feature_vector`, `FINGERPRINT_RAW`), at the word's start, so
// `faces` and `imagedata` are caught while `surface` and `interface` are not.
const BIOMETRIC_WORDS = [
  'image',
  'img',
  'picture',
  'photo',
  'face',
  'feature',
  'template',
  'fingerprint',
  'biometric',
  'embedding',
  'vector',
  'portrait',
  'snapshot',
  'thumbnail',
  'minutiae',
];
const WORD_SPLIT = /[^A-Za-z]+|(?<=[a-z])(?=[A-Z])/;

function judgeKey(key: string): boolean {
  return key.split(WORD_SPLIT).some((word) => BIOMETRIC_WORDS.some((b) => word.toLowerCase().startsWith(b)));
}

// Every event carries the same few field names, so their verdicts are remembered (splitting and lower-casing each
// name showed in the ingest profile); the bound keeps a sender of random names from growing it.
const KEY_VERDICTS = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 4096;

function isBiometricKey(key: string): boolean {
  let verdict = KEY_VERDICTS.get(key);
  if (verdict === undefined) {
    verdict = judgeKey(key);
    if (KEY_VERDICTS.size < MAX_REMEMBERED_KEYS) KEY_VERDICTS.set(key, verdict);
  }
  return verdict;
}
const MAX_NUMERIC_ARRAY = 16;
const MAX_DEPTH = 32;
// data: URLs, and the base64 magic numbers of JPEG, PNG, GIF, WebP/RIFF and BMP images.
const IMAGE_PREFIX = /^(data:image\/|\/9j\/|iVBORw0KGgo|R0lGOD|UklGR|Qk0)/;
const LONG_BASE64 = /^[A-Za-z0-9+/=_-]{256,}$/;
// No contract field is longer than 64 characters and no face image fits in 64, while a random id or a track id
// may well begin with `Qk0` or `R0lGOD`: only longer strings are checked for image headers.
const MIN_IMAGE_CHARS = 65;

export type BiometricFinding = { path: string; why: 'field-name' | 'image-data' | 'numeric-vector' | 'too-deep' };

export function findBiometricData(value: unknown): BiometricFinding | undefined {
  const found = scan(value, 0);
  return found && { path: `$${found.steps.reverse().join('')}`, why: found.why };
}

/** The path is assembled on the way out of a finding only: clean payloads, nearly all of them, build no strings. */
type Found = { steps: string[]; why: BiometricFinding['why'] };

function via(found: Found, step: string): Found {
  found.steps.push(step);
  return found;
}

function scan(value: unknown, depth: number): Found | undefined {
  if (depth > MAX_DEPTH) return { steps: [], why: 'too-deep' };
  if (typeof value === 'string') {
    const image = (value.length >= MIN_IMAGE_CHARS && IMAGE_PREFIX.test(value)) || LONG_BASE64.test(value);
    return image ? { steps: [], why: 'image-data' } : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMERIC_ARRAY && value.every((v) => typeof v === 'number')) {
      return { steps: [], why: 'numeric-vector' };
    }
    for (let i = 0; i < value.length; i++) {
      const found = scan(value[i], depth + 1);
      if (found) return via(found, `[${i}]`);
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      if (isBiometricKey(key)) return { steps: [`.${key}`], why: 'field-name' };
      const found = scan((value as Record<string, unknown>)[key], depth + 1);
      if (found) return via(found, `.${key}`);
    }
  }
  return undefined;
}
