import { describe, expect, it } from 'vitest';
import { assessUnit, lockState } from '../../../src/core/lock-health.js';

const H = 3_600_000;

describe('lockState', () => {
  const silentAfter = 48 * H;
  it.each([
    [{ online: false, lastEventMs: 100 * H, buildingNewestMs: 100 * H }, 'offline'],
    [{ online: undefined, lastEventMs: undefined, buildingNewestMs: 100 * H }, 'never-reported'],
    [{ online: true, lastEventMs: 52 * H, buildingNewestMs: 100 * H }, 'reporting'],
    [{ online: true, lastEventMs: 51 * H, buildingNewestMs: 100 * H }, 'silent'],
    [{ online: undefined, lastEventMs: 10 * H, buildingNewestMs: undefined }, 'reporting'],
  ] as const)('reads %o as %s', (observation, state) => {
    expect(lockState(observation, silentAfter)).toBe(state);
  });
});

describe('assessUnit', () => {
  it('calls a unit with a reporting lock suspect with an open alert and fine without', () => {
    expect(assessUnit('reporting', 1)).toBe('suspect');
    expect(assessUnit('reporting', 0)).toBe('fine');
  });

  it('never calls a unit fine or suspect while its lock does not report', () => {
    for (const state of ['silent', 'offline', 'never-reported'] as const) {
      expect(assessUnit(state, 0)).toBe('unknown');
      expect(assessUnit(state, 2)).toBe('unknown');
    }
  });
});
