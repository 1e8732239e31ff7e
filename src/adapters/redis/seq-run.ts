/** A device's seq run as scripts/includes/seqGaps.lua keeps it, read for the events the device lost. */
export type SeqRun = {
  /** Events lost in seq gaps: the current run's outstanding gaps plus what earlier runs lost. */
  lost: number;
  /** Factory resets seen (seq going back while event time went on). */
  resets: number;
  /** Highest seq of the current run. */
  highestSeq: number;
};

/** Parses "lo hi hi_ts n past resets prev_hi start_ts newest_day live_from". */
export function parseSeqRun(run: string): SeqRun {
  const [lo = 0, hi = 0, , n = 0, past = 0, resets = 0] = run.split(' ').map(Number);
  return { lost: past + Math.max(0, hi - lo + 1 - n), resets, highestSeq: hi };
}

/** The lowest idempotency block of the device not yet retired; undefined in states written before it was kept. */
export function liveFromBlock(run: string): number | undefined {
  const field = run.split(' ')[9];
  return field === undefined ? undefined : Number(field);
}
