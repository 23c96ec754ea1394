import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { insertOperator, withOperator, type Database } from '@orqestra/db';
import { appendAudit } from '../audit/audit.repository.js';

export const MIN_PASSWORD_LENGTH = 12;

/** argon2id with OWASP's recommended minimum parameters (19 MiB, 2 passes, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export function temporaryPassword(): string {
  return randomBytes(18).toString('base64url');
}

export class OperatorService {
  constructor(private readonly database: Database) {}

  /** Creates an operator who must change the (temporary) password at first login. */
  async create(actorId: string, username: string, password: string): Promise<{ operatorId: string }> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    const passwordHash = await hashPassword(password);
    return withOperator(this.database, actorId, async (tx) => {
      const row = await insertOperator(tx, { username, passwordHash, mustChangePassword: true });
      await appendAudit(tx, {
        tenantId: null,
        actorType: 'operator',
        actorId,
        action: 'operator.create',
        resourceType: 'operator',
        resourceId: row.id,
        after: { username: row.username },
      });
      return { operatorId: row.id };
    });
  }
}
