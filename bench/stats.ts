export type Percentiles = { p50: number; p99: number; p999: number; max: number; n: number };

/** Nearest-rank percentiles of a sample, in its unit; NaN for an empty sample. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) =>
    sorted.length ? (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number) : Number.NaN;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1), n: sorted.length };
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
