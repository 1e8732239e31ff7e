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

function isBiometricKey(key: string): boolean {
  return key.split(WORD_SPLIT).some((word) => BIOMETRIC_WORDS.some((b) => word.toLowerCase().startsWith(b)));
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

export function findBiometricData(value: unknown, path = '$', depth = 0): BiometricFinding | undefined {
  if (depth > MAX_DEPTH) return { path, why: 'too-deep' };
  if (typeof value === 'string') {
    const image = (value.length >= MIN_IMAGE_CHARS && IMAGE_PREFIX.test(value)) || LONG_BASE64.test(value);
    return image ? { path, why: 'image-data' } : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_NUMERIC_ARRAY && value.every((v) => typeof v === 'number')) {
      return { path, why: 'numeric-vector' };
    }
    for (let i = 0; i < value.length; i++) {
      const found = findBiometricData(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const childPath = `${path}.${key}`;
      if (isBiometricKey(key)) return { path: childPath, why: 'field-name' };
      const found = findBiometricData((value as Record<string, unknown>)[key], childPath, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
