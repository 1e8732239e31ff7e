/** Messages between the bench and its child processes (Node IPC, JSON). */

export type ProbeSent = { device: string; active: boolean; sentMs: number };

export type ParentToPublisher =
  | {
      type: 'run';
      from: number;
      count: number;
      /** Messages a second, or null for as fast as the broker acknowledges. */
      rate: number | null;
      probe?: { estateId: string; devices: string[]; everyMs: number };
    }
  | { type: 'stop' };

export type PublisherToParent =
  | { type: 'ready'; count: number; keys: string[] }
  | { type: 'done'; times: number[]; probes: ProbeSent[]; elapsedMs: number }
  | { type: 'error'; error: string };

export type ProcessFigures = {
  cpuUserUs: number;
  cpuSystemUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Event-loop delay since the previous collect. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Garbage-collection pauses since the previous collect. */
  gc: GcPauses;
};

export type GcPauses = { count: number; totalMs: number; maxMs: number };

export type ParentToConsumer = { type: 'collect' } | { type: 'stop' };

/** From the gateway or the baseline: what was committed since the last collect, with when. */
export type ConsumerToParent =
  | { type: 'ready'; port?: number }
  | { type: 'collected'; keys: string[]; times: number[]; figures: ProcessFigures }
  | { type: 'error'; error: string };
