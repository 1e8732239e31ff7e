import { readFileSync } from 'node:fs';

/**
 * CPU time of the whole machine and of the processes that share it with the one measured (the publisher and the
 * broker), read from Linux's /proc: the gateway's figure alone cannot say whether a run was bound by the
 * gateway, by Redis or by the machine. Elsewhere the figures are absent.
 */
export type CpuSnapshot = { machineBusyTicks: number; machineTotalTicks: number; processTicks: Record<string, number> };

export type SharedCpu = {
  /** Share of all cores busy during the slice (0–1). */
  machineBusy: number;
  /** CPU µs per event of each named process. */
  usPerEvent: Record<string, number>;
};

/** Clock ticks a second for /proc figures: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

export function snapshotCpu(pids: Record<string, number | undefined>): CpuSnapshot | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1);
    const ticks = fields.map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    // idle and iowait
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    const processTicks: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) {
      if (pid === undefined) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after the command name, which is in parentheses and may hold spaces: utime is the 12th, stime the 13th
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processTicks[name] = Number(after[11]) + Number(after[12]);
    }
    return { machineBusyTicks: total - idle, machineTotalTicks: total, processTicks };
  } catch {
    return undefined;
  }
}

export function cpuBetween(
  before: CpuSnapshot | undefined,
  after: CpuSnapshot | undefined,
  events: number,
): SharedCpu | undefined {
  if (!before || !after) return undefined;
  const total = after.machineTotalTicks - before.machineTotalTicks;
  const usPerEvent: Record<string, number> = {};
  for (const [name, ticks] of Object.entries(after.processTicks)) {
    const was = before.processTicks[name];
    if (was !== undefined) usPerEvent[name] = (((ticks - was) / TICKS_PER_SECOND) * 1e6) / events;
  }
  return { machineBusy: total > 0 ? (after.machineBusyTicks - before.machineBusyTicks) / total : 0, usPerEvent };
}
