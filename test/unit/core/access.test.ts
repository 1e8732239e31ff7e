import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  authorize,
  estateFilter,
  type Principal,
  ROLES,
  type Role,
  servesEstate,
} from '../../../src/core/access.js';

// Written out by hand from the issue, not derived from PERMISSIONS: a change to the table must change this too.
// Columns: operator, supervisor, police, auditor, admin.
const Y = true;
const _ = false;
const EXPECTED: Record<Action, [boolean, boolean, boolean, boolean, boolean]> = {
  'alerts.read': [Y, Y, _, Y, _],
  'units.read': [Y, Y, _, _, _],
  'dead-letters.read': [Y, Y, _, _, Y],
  'cases.read': [Y, Y, Y, Y, _],
  'case.acknowledge': [Y, Y, _, _, _],
  'case.inspect': [Y, Y, _, _, _],
  'case.confirm': [_, Y, _, _, _],
  'case.dismiss': [_, Y, _, _, _],
  'case.serve-notice': [_, Y, _, _, _],
  'case.rectify': [_, Y, _, _, _],
  'case.close': [_, Y, _, _, _],
  'case.note': [Y, Y, _, _, _],
  'feed.control-room': [Y, Y, _, _, _],
  'feed.police': [_, _, Y, _, _],
  'audit.read': [_, _, _, Y, Y],
  'config.write': [_, _, _, _, Y],
  'privacy.erase': [_, _, _, _, Y],
};
const COLUMNS: readonly Role[] = ['operator', 'supervisor', 'police', 'auditor', 'admin'];

const everywhere = (role: Role): Principal => ({ id: `${role}-1`, role, estates: 'all' });

describe('permission matrix', () => {
  it('covers every role and every action', () => {
    expect([...COLUMNS].sort()).toEqual([...ROLES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  const cases = ACTIONS.flatMap((action) =>
    COLUMNS.map((role, i) => ({ role, action, allowed: EXPECTED[action][i] as boolean })),
  );
  it.each(cases)('$role → $action: $allowed', ({ role, action, allowed }) => {
    const decision = authorize(everywhere(role), action);
    expect(decision.ok).toBe(allowed);
    if (!decision.ok) expect(decision.reason).toBe(`role ${role} may not ${action}`);
  });

  it('lets only a supervisor confirm or dismiss a case', () => {
    for (const action of ['case.confirm', 'case.dismiss'] as const) {
      expect(ROLES.filter((role) => authorize(everywhere(role), action).ok)).toEqual(['supervisor']);
    }
  });
});

describe('estate scope', () => {
  const operator: Principal = { id: 'ops-1', role: 'operator', estates: ['shjy', 'hyxc'] };

  it('allows an action on an estate the principal serves', () => {
    expect(authorize(operator, 'units.read', 'shjy')).toEqual({ ok: true });
    expect(authorize(operator, 'case.acknowledge', 'hyxc')).toEqual({ ok: true });
  });

  it('refuses an action on a foreign estate, naming the principal and the estate', () => {
    expect(authorize(operator, 'units.read', 'tiny')).toEqual({
      ok: false,
      reason: 'ops-1 does not serve estate tiny',
    });
  });

  it('reports the missing permission before the estate when both are wrong', () => {
    expect(authorize(operator, 'case.confirm', 'tiny')).toEqual({
      ok: false,
      reason: 'role operator may not case.confirm',
    });
  });

  it('allows a listing without an estate and gives the estates to filter it by', () => {
    expect(authorize(operator, 'alerts.read')).toEqual({ ok: true });
    expect(estateFilter(operator)).toEqual(['shjy', 'hyxc']);
    expect(servesEstate(operator, 'shjy')).toBe(true);
    expect(servesEstate(operator, 'tiny')).toBe(false);
  });

  it("lets a principal of 'all' act on any estate", () => {
    const supervisor = everywhere('supervisor');
    expect(authorize(supervisor, 'case.confirm', 'any-estate-at-all')).toEqual({ ok: true });
    expect(estateFilter(supervisor)).toBe('all');
    expect(servesEstate(supervisor, 'tiny')).toBe(true);
  });

  it('scopes police to their estates as well', () => {
    const police: Principal = { id: 'pol-1', role: 'police', estates: ['shjy'] };
    expect(authorize(police, 'feed.police', 'shjy').ok).toBe(true);
    expect(authorize(police, 'feed.police', 'hyxc').ok).toBe(false);
  });
});
