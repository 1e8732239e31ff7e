import type { AlertChange } from '../../core/alerts.js';
import { type Case, CaseSchema } from '../../core/cases/case.js';
import type { CaseChange } from '../../core/cases/case-store.js';
import { type PoliceEntry, PoliceEntrySchema } from '../../core/cases/police-view.js';
import type { AlertUpdate } from '../../core/ports.js';
import { updateFromEntry } from './alert-records.js';
import { streamFields } from './stream-fields.js';

/** What the control-room feed carries: every alert change and every case change, in one order. */
export type ControlRoomUpdate =
  | (AlertUpdate & { type: 'alert' })
  | { type: 'case'; streamId: string; change: CaseChange; case: Case };

export type PoliceUpdate = { streamId: string; entry: PoliceEntry };

const CASE_CHANGES: ReadonlySet<string> = new Set(['opened', 'transition', 'escalated', 'relapsed', 'linked']);

export function controlRoomEntry(streamId: string, flat: readonly string[]): ControlRoomUpdate | undefined {
  const f = streamFields(flat);
  if (f.type !== 'case') {
    const alert = updateFromEntry(streamId, flat);
    return alert && { type: 'alert', ...alert, change: alert.change as AlertChange };
  }
  if (!f.change || !CASE_CHANGES.has(f.change) || !f.case) return undefined;
  const parsed = CaseSchema.safeParse(JSON.parse(f.case));
  return parsed.success ? { type: 'case', streamId, change: f.change as CaseChange, case: parsed.data } : undefined;
}

/** Police entries are parsed again with the allow-list schema on the way out: what is not allowed never leaves. */
export function policeEntry(streamId: string, flat: readonly string[]): PoliceUpdate | undefined {
  const f = streamFields(flat);
  if (!f.entry) return undefined;
  const parsed = PoliceEntrySchema.safeParse(JSON.parse(f.entry));
  return parsed.success ? { streamId, entry: parsed.data } : undefined;
}
