/**
 * Who may do what, and where. Authentication (is this token a principal?) lives in the HTTP adapter; this file only
 * decides whether an authenticated principal may take an action, on an estate it serves.
 */

export const ROLES = ['operator', 'supervisor', 'police', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Case actions are `case.<action>` with the action names of the case workflow's commands. */
export const ACTIONS = [
  'alerts.read',
  'units.read',
  'dead-letters.read',
  'cases.read',
  'case.acknowledge',
  'case.inspect',
  'case.confirm',
  'case.dismiss',
  'case.serve-notice',
  'case.rectify',
  'case.close',
  'case.note',
  'feed.control-room',
  'feed.police',
  'audit.read',
  'config.write',
  'privacy.erase',
] as const;
export type Action = (typeof ACTIONS)[number];

/** `'all'`: every estate, present and future; otherwise the estate ids the principal serves. */
export type Principal = { id: string; role: Role; estates: readonly string[] | 'all' };

const OPERATOR: readonly Action[] = [
  'alerts.read',
  'units.read',
  'dead-letters.read',
  'cases.read',
  'case.acknowledge',
  'case.inspect',
  'case.note',
  'feed.control-room',
];

export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  // the control room watches and triages; a judgement on someone's home needs a supervisor
  operator: OPERATOR,
  // signs off the consequences: only a supervisor confirms or dismisses a case, serves a notice, rectifies, closes
  supervisor: [...OPERATOR, 'case.confirm', 'case.dismiss', 'case.serve-notice', 'case.rectify', 'case.close'],
  // liaison is told about confirmed cases, no more: its case reads are served redacted (by the case routes) and it
  // sees no raw alerts, units, dead letters or the control-room feed
  police: ['feed.police', 'cases.read'],
  // checks what was done and why, without the power to change any of it
  auditor: ['audit.read', 'cases.read', 'alerts.read'],
  // runs the gateway, not the cases: configuration, the audit trail, the rejected input it has to fix, and
  // residents' requests to be erased (the data controller's duty, not the control room's)
  admin: ['config.write', 'audit.read', 'dead-letters.read', 'privacy.erase'],
};

export type Decision = { ok: true } | { ok: false; reason: string };

/**
 * May `principal` take `action`, on `estateId` when the resource belongs to one? Without an estate (a listing across
 * estates) the action is allowed, and the caller must narrow the results with `estateFilter` / `servesEstate`.
 */
export function authorize(principal: Principal, action: Action, estateId?: string): Decision {
  if (!PERMISSIONS[principal.role].includes(action)) {
    return { ok: false, reason: `role ${principal.role} may not ${action}` };
  }
  if (estateId !== undefined && !servesEstate(principal, estateId)) {
    return { ok: false, reason: `${principal.id} does not serve estate ${estateId}` };
  }
  return { ok: true };
}

/** The estates whose resources a listing may show this principal. */
export function estateFilter(principal: Principal): readonly string[] | 'all' {
  return principal.estates;
}

export function servesEstate(principal: Principal, estateId: string): boolean {
  return principal.estates === 'all' || principal.estates.includes(estateId);
}
