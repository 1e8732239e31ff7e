import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Estate, parseEstate } from '../../src/core/estate.js';
import { loadNamedScenario, type NamedRunOptions } from './named-scenarios.js';
import type { Scenario } from './scenario.js';

/** The two-building fixture estate and the `small` named scenario on it, for end-to-end tests and demos. */

export const SMALL_ESTATE_PATH = fileURLToPath(new URL('../../test/fixtures/estate.small.json', import.meta.url));

export async function loadEstate(path: string): Promise<Estate> {
  return parseEstate(JSON.parse(await readFile(path, 'utf8')), path);
}

export function loadEstateSync(path: string): Estate {
  return parseEstate(JSON.parse(readFileSync(path, 'utf8')), path);
}

export const SMALL_SCENARIO_DEFAULTS = { seed: 7, days: 7, groupRentals: 2 } as const;

/**
 * Seven days of the small estate (simulators/scenarios/small.json) with two group rentals: one whose tenants share
 * one card, running from the start, and one whose tenants move in about a third into the span (see the truth's
 * periods). Same options, same events.
 */
export function smallScenario(options: NamedRunOptions = {}): Scenario {
  return loadNamedScenario('small', options);
}
