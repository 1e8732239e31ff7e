import type { MemoryBreakdown } from './measure.js';

export type MemoryReport = {
  scenario: string;
  seed: number | string;
  units: number;
  messages: number;
  redisVersion: string;
  /** INFO memory used_memory before the feed, after it, and the difference per unit: the figure. */
  usedMemory: { before: number; after: number; perUnit: number };
  breakdown: MemoryBreakdown;
};

const kib = (n: number) => `${(n / 1024).toFixed(2)} KiB`;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** The report as a fixed-width table, widest kind first. */
export function formatReport(r: MemoryReport): string {
  const rows = r.breakdown.kinds.map((k) => [
    k.kind,
    k.pattern,
    int(k.keys),
    int(k.bytes),
    int(k.bytesPerUnit ?? 0),
    Object.entries(k.encodings)
      .map(([e, n]) => `${e} ${n}`)
      .join(', '),
  ]);
  const head = ['kind', 'pattern', 'keys', 'bytes', 'B/unit', 'encodings'];
  const total = ['total', '', int(r.breakdown.keys), int(r.breakdown.bytes), int(r.breakdown.bytesPerUnit ?? 0), ''];
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i >= 2 && i <= 4 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [
    `scenario ${r.scenario}, seed ${r.seed}: ${int(r.units)} units, ${int(r.messages)} messages, Redis ${r.redisVersion}`,
    `used_memory ${int(r.usedMemory.before)} → ${int(r.usedMemory.after)} bytes: ${int(r.usedMemory.perUnit)} bytes = ${kib(r.usedMemory.perUnit)} per unit`,
    '',
    line(head),
    ...rows.map(line),
    line(total),
  ].join('\n');
}
