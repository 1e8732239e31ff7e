import { type Alert, type AlertChange, AlertChangeSchema } from '../../core/alerts.js';
import type { AlertUpdate } from '../../core/ports.js';
import { decodeDraft } from './draft-codec.js';
import { streamFields } from './stream-fields.js';

/**
 * Alerts are kept as hash fields (and stream entries with the same fields): the bookkeeping that Lua updates,
 * and the rule's draft as one string that Lua never parses (see draft-codec.ts).
 */
export type AlertFields = Record<string, string>;

export const alertId = (slot: string, n: string | number): string => `${slot}~${n}`;

export function parseAlertId(id: string): { slot: string; n: number } | undefined {
  const at = id.lastIndexOf('~');
  const n = Number(id.slice(at + 1));
  return at > 0 && Number.isInteger(n) && n > 0 ? { slot: id.slice(0, at), n } : undefined;
}

const iso = (ms: string | undefined): string => new Date(Number(ms)).toISOString();

export function alertFromFields(slot: string, f: AlertFields): Alert | undefined {
  if (!f.draft || !f.n) return undefined;
  const draft = decodeDraft(f.draft);
  return {
    ...draft,
    id: alertId(slot, f.n),
    status: f.status === 'cleared' ? 'cleared' : 'open',
    firstSeen: iso(f.first),
    lastSeen: iso(f.last),
    ...(f.cleared ? { clearedAt: iso(f.cleared) } : {}),
    occurrences: Number(f.occ),
    version: Number(f.ver),
  };
}

/** A stream entry as ioredis returns it: [id, [field, value, field, value, …]]. */
export function updateFromEntry(streamId: string, flat: readonly string[]): AlertUpdate | undefined {
  const f: AlertFields = streamFields(flat);
  const change = AlertChangeSchema.safeParse(f.change);
  const alert = f.slot ? alertFromFields(f.slot, f) : undefined;
  return change.success && alert ? { change: change.data as AlertChange, streamId, alert } : undefined;
}
