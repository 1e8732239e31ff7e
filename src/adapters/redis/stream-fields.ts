/** A stream entry's fields as ioredis returns them, `[field, value, field, value, …]`, as a record. */
export function streamFields(flat: readonly string[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i] as string] = flat[i + 1] as string;
  return f;
}
