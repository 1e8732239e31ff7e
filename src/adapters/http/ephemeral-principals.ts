import { ROLES, type Role } from '../../core/access.js';
import { generateToken, hashToken } from './auth.js';

/**
 * One principal per role serving `estates` (every estate by default), with fresh tokens that exist only in this process: for the demo
 * and the tests, never for a deployment (those come from configuration, made by `npm run auth:token`).
 */
export async function ephemeralPrincipals(
  idPrefix: string,
  estates: readonly string[] | 'all' = 'all',
): Promise<{
  tokens: Record<Role, string>;
  principals: { id: string; role: Role; estates: string[] | 'all'; tokenHash: string }[];
}> {
  const tokens = {} as Record<Role, string>;
  const principals = await Promise.all(
    ROLES.map(async (role) => {
      tokens[role] = generateToken(`${idPrefix}-${role}`);
      const scope = estates === 'all' ? ('all' as const) : [...estates];
      return { id: `${idPrefix}-${role}`, role, estates: scope, tokenHash: await hashToken(tokens[role]) };
    }),
  );
  return { tokens, principals };
}
