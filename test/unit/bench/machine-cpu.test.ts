import { describe, expect, it } from 'vitest';
import { cpuBetween, snapshotCpu } from '../../../bench/machine-cpu.js';

describe('CPU shared with the measured process', () => {
  it('turns clock ticks into the machine busy share and µs per event of each process', () => {
    const before = { machineBusyTicks: 1000, machineTotalTicks: 4000, processTicks: { publisher: 10, broker: 20 } };
    const after = { machineBusyTicks: 1150, machineTotalTicks: 4200, processTicks: { publisher: 40, broker: 25 } };
    const shared = cpuBetween(before, after, 10_000);
    expect(shared?.machineBusy).toBeCloseTo(0.75);
    // 30 ticks of 10 ms over 10,000 events = 30 µs an event
    expect(shared?.usPerEvent.publisher).toBeCloseTo(30);
    expect(shared?.usPerEvent.broker).toBeCloseTo(5);
  });

  it('leaves out a process missing from either snapshot, and gives nothing without both', () => {
    const before = { machineBusyTicks: 0, machineTotalTicks: 100, processTicks: { publisher: 1 } };
    const after = { machineBusyTicks: 50, machineTotalTicks: 200, processTicks: { publisher: 2, broker: 9 } };
    expect(cpuBetween(before, after, 1)?.usPerEvent).toEqual({ publisher: 10_000 });
    expect(cpuBetween(undefined, after, 1)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this process and the machine from /proc', () => {
    const busyLoopUntil = Date.now() + 50;
    const before = snapshotCpu({ self: process.pid });
    while (Date.now() < busyLoopUntil) {
      // spend CPU so the counters move
    }
    const after = snapshotCpu({ self: process.pid });
    expect(before?.processTicks.self).toBeGreaterThanOrEqual(0);
    expect(after?.machineTotalTicks).toBeGreaterThan(before?.machineTotalTicks ?? Number.POSITIVE_INFINITY);
    expect(snapshotCpu({ gone: 2 ** 22 + 1 })).toBeUndefined();
  });
});
