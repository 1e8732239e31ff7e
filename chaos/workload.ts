import { readFileSync } from 'node:fs';
import { buildWorkload } from '../bench/workload.js';

/** One MQTT message as a device sends it. */
export type Message = { topic: string; payload: string };

export type ChaosWorkload = {
  estateId: string;
  /** The registry the gateway loads: the generated estate plus smoke detectors used to make alert traffic. */
  estateFile: string;
  units: number;
  /** Every event once, in the order the devices sent them. */
  messages: Message[];
  probeDevices: string[];
};

/**
 * The seeded stream every scenario starts from: the first `events` events of a generated estate (about 200 units
 * over several days of event time, so day boundaries are crossed, but well within the detection window and the
 * face-link retention, so that the state is a function of the set of events, not of their arrival order).
 */
export function buildChaosWorkload(seed: number, events: number, dir: string): ChaosWorkload {
  const w = buildWorkload({ kind: 'generated', units: 200, seed, events }, dir);
  const messages = readFileSync(w.eventsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const m = JSON.parse(line) as { topic: string; payload: unknown };
      return { topic: m.topic, payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload) };
    });
  return { estateId: w.estateId, estateFile: w.estateFile, units: w.units, messages, probeDevices: w.probeDevices };
}
