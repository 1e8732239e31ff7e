import { type AlertDecision, alertSlot } from './alerts.js';

const slotOf = (d: AlertDecision): string =>
  d.action === 'raise'
    ? alertSlot(d.draft.estateId, d.draft.subject, d.draft.kind)
    : alertSlot(d.estateId, d.subject, d.kind);

/**
 * Drops a clear that repeats the previous decision about the same alert in this batch: a clear for the same local
 * day. Applied in order, the second such clear changes nothing (the first already reset the pending days, started
 * the quiet days or cleared the alert), so the alert store is spared the round trip. Every event of a unit that
 * is not over its threshold decides "clear" for each rule, so at full speed these are most of a batch's decisions.
 * A raise is never dropped (each one moves the alert's last-seen time), nor a clear that follows one.
 */
export function withoutRepeatedClears(decisions: readonly AlertDecision[]): AlertDecision[] {
  const previous = new Map<string, AlertDecision>();
  const kept: AlertDecision[] = [];
  for (const d of decisions) {
    const slot = slotOf(d);
    const before = previous.get(slot);
    previous.set(slot, d);
    if (d.action === 'clear' && before?.action === 'clear' && before.persistence?.day === d.persistence?.day) continue;
    kept.push(d);
  }
  return kept;
}
