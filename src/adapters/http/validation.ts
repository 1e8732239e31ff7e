import type { z } from 'zod';

export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  readonly statusCode = 400;
  readonly code = 'GW_ERR_BAD_REQUEST';
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly statusCode = 404;
  readonly code = 'GW_ERR_NOT_FOUND';
}

/** Validates one part of a request; the error names the part, the field and what was wrong. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'query' | 'params' | 'body',
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const what = r.error.issues.map((i) => `${[part, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
  throw new BadRequestError(what);
}
