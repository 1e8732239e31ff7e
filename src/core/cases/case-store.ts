import type { Case, CaseState } from './case.js';
import type { PoliceEntry } from './police-view.js';

export type CaseChange = 'opened' | 'transition' | 'escalated' | 'relapsed' | 'linked';

export type CaseFilter = {
  estateIds?: readonly string[] | 'all';
  state?: CaseState;
  unitId?: string;
  /** Only cases not dismissed or closed. */
  open?: boolean;
  limit: number;
};

export type SavedCase = { streamId: string; policeStreamId: string | undefined };

/** Where cases are kept. Every save is atomic with its feed entries. */
export interface CaseStore {
  /** A fresh case id, unique across instances. */
  nextId(): Promise<string>;
  get(caseId: string): Promise<Case | undefined>;
  /** The unit's newest case, whatever its state. */
  latestForUnit(estateId: string, unitId: string): Promise<Case | undefined>;
  /**
   * Writes `next` only if the stored case is still at `expectedVersion` (0: it must not exist yet); appends the
   * change to the control-room feed, and `police` (already validated) to the police feed, in the same step.
   * A new case (`expectedVersion` 0) is written only if the unit's newest case is still `unitCaseBefore` (its id, or
   * undefined for none), so two instances cannot both open a case for one unit. Resolves `undefined` on a conflict:
   * someone else changed the case or the unit first.
   */
  save(
    next: Case,
    expectedVersion: number,
    change: CaseChange,
    police: PoliceEntry | undefined,
    unitCaseBefore?: string,
  ): Promise<SavedCase | undefined>;
  /** Newest change first. */
  list(filter: CaseFilter): Promise<Case[]>;
  /** Cases not dismissed or closed, for the clock (escalation, watch). */
  openCases(): Promise<Case[]>;
}
