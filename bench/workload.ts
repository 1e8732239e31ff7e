import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildEstateFile } from '../simulators/lib/estate-builder.js';
import { loadNamedScenario, namedScenarioEstateFile, readNamedScenario } from '../simulators/lib/named-scenarios.js';
import { generateScenario, type Scenario } from '../simulators/lib/scenario.js';
import type { EstateFile } from '../src/core/estate.js';

/**
 * What the bench publishes: a seeded stretch of a simulated estate's events, in event-time order, written once to
 * an NDJSON file the publisher process reads. Probe devices are added to the registry the gateway serves (the
 * simulator knows nothing of them): the bench raises and clears their smoke alarms to time publish-to-alert.
 */
export type Workload = {
  label: string;
  units: number;
  estateId: string;
  /** The registry the gateway loads (the simulated estate plus the probe devices). */
  estateFile: string;
  /** One `{"topic","payload"}` a line, the order they are published in. */
  eventsFile: string;
  events: number;
  probeDevices: string[];
  /** Simulated days the events span. */
  days: number;
};

const PROBES = 16;

export type WorkloadSpec =
  | { kind: 'scenario'; name: string; seed: number; events: number }
  | { kind: 'generated'; units: number; seed: number; events: number };

export function buildWorkload(spec: WorkloadSpec, dir: string): Workload {
  const { file, scenario, label } = scenarioOf(spec);
  const probeDevices = Array.from({ length: PROBES }, (_, i) => `bench-probe-${i + 1}`);
  const someUnit = file.buildings[0]?.units[0]?.id;
  const withProbes: EstateFile = {
    ...file,
    devices: [...file.devices, ...probeDevices.map((id) => ({ id, kind: 'smoke-detector', unit: someUnit }))],
  };
  const estateFile = join(dir, `estate-${label}.json`);
  writeFileSync(estateFile, JSON.stringify(withProbes));

  const lines: string[] = [];
  let days = 0;
  for (const day of scenario.days()) {
    days++;
    for (const e of day.events) {
      lines.push(JSON.stringify({ topic: e.topic, payload: e.payload }));
      if (lines.length >= spec.events) break;
    }
    if (lines.length >= spec.events) break;
  }
  const eventsFile = join(dir, `events-${label}.ndjson`);
  writeFileSync(eventsFile, `${lines.join('\n')}\n`);
  return {
    label,
    units: scenario.estate.units.size,
    estateId: scenario.estate.id,
    estateFile,
    eventsFile,
    events: lines.length,
    probeDevices,
    days,
  };
}

function scenarioOf(spec: WorkloadSpec): { file: EstateFile; scenario: Scenario; label: string } {
  if (spec.kind === 'scenario') {
    const named = readNamedScenario(spec.name);
    return {
      file: namedScenarioEstateFile(named),
      scenario: loadNamedScenario(spec.name, { seed: spec.seed }),
      label: spec.name,
    };
  }
  // about 60 units a building, as in the generated estates of the scenarios
  const file = buildEstateFile({
    seed: spec.seed,
    buildings: Math.max(2, Math.round(spec.units / 60)),
    minUnits: spec.units,
    estateId: 'bench',
  });
  // the span starts in the evening, so a large estate's first day alone yields the events asked for
  const scenario = generateScenario({ estate: file, seed: spec.seed, days: 30, start: eveningDaysAgo(30) });
  return { file, scenario, label: `units-${spec.units}` };
}

function eveningDaysAgo(days: number): number {
  const d = new Date(Date.now() - days * 86_400_000);
  d.setUTCHours(10, 0, 0, 0); // 18:00 in Shanghai
  return d.getTime();
}
