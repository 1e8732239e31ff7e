import { ROLES, type Role } from '../../core/access.js';
import { generateToken, hashToken } from './auth.js';

/**
 * One principal per role serving every estate, with fresh tokens that exist only in this process: for the demo
 * and the tests, never for a deployment (those come from configuration, made by `npm run auth:token`).
 */
export async function ephemeralPrincipals(idPrefix: string): Promise<{
  tokens: Record<Role, string>;
  principals: { id: string; role: Role; estates: 'all'; tokenHash: string }[];
}> {
  const tokens = {} as Record<Role, string>;
  const principals = await Promise.all(
    ROLES.map(async (role) => {
      tokens[role] = generateToken(`${idPrefix}-${role}`);
      return { id: `${idPrefix}-${role}`, role, estates: 'all' as const, tokenHash: await hashToken(tokens[role]) };
    }),
  );
  return { tokens, principals };
}
