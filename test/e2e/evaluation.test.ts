import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../../simulators/evaluation/run.js';
import { namedScenario } from '../../simulators/evaluation/scenarios.js';

/**
 * Detection quality gate: a change that breaks detection fails CI here. The small scenario has face gates; its
 * twin has none, so its card-sharing rental must show through the locks, the door traffic and the stairwells.
 */
// A fixed local midnight: a scenario that starts "days before now" plays other hours each run, and the median time
// to detect of small-no-face-gates' two rentals crossed the bound with the hour the suite ran at (4.22 days when run
// at 15:35 UTC, under 4 at 14:48; 3.59 from this start).
const START = '2026-09-01T00:00:00+08:00';

describe('evaluation on the small scenarios', () => {
  it.each(['small', 'small-no-face-gates'])(
    '%s: finds every group rental and raises no false alarm, through Mosquitto, the gateway and Redis',
    async (name) => {
      const run = await runSeed({
        scenario: namedScenario(name, 11, START),
        log: pino({ level: 'silent' }),
        broker: 'mosquitto',
      });
      expect(run.counted).toBe(run.published);
      expect(run.score.positives).toBeGreaterThanOrEqual(2);
      expect(run.score.recall).toBeGreaterThanOrEqual(0.95);
      expect(run.score.precision).toBeGreaterThanOrEqual(0.95);
      expect(run.score.alertsOnLawfulFamilies).toEqual([]);
      expect(run.score.medianTimeToDetectDays).toBeLessThanOrEqual(4);
    },
    120_000,
  );
});
