/**
 * Rows without a tenant (global templates, platform audit entries) and the append-only audit
 * log, as orqestra_app.
 */
import { randomUUID } from 'node:crypto';
import { stackEnv } from '@orqestra/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertRow } from '../test/fixtures.js';
import { affectedOrError, appDatabase, asActor, count, dropTenants, expectPgError, newTenants, TENANT_ACTORS } from '../test/helpers.js';
import { withOperator, withSystem } from './context.js';
import { migrateToLatest } from './migrate.js';

await migrateToLatest(stackEnv().databaseOwnerUrl);
const database = appDatabase(4);
let tenantA = '';
let tenantB = '';
let globalTemplateId = '';
let globalVersionId = '';
const auditA = randomUUID();
const auditPlatform = randomUUID();

class Rollback extends Error {}
/** Runs fn as the global operator and rolls everything back, so shared rows stay as they were. */
async function asGlobalOperatorRolledBack(fn: Parameters<typeof withOperator>[2]): Promise<void> {
  await expect(
    withOperator(database, 'db-tests', async (tx) => {
      await fn(tx);
      throw new Rollback();
    }),
  ).rejects.toBeInstanceOf(Rollback);
}

beforeAll(async () => {
  [tenantA = '', tenantB = ''] = await newTenants(database, 2);
  const ids = await withOperator(database, 'db-tests', (tx) =>
    tx.db
      .selectFrom('templates as t')
      .innerJoin('template_versions as v', 'v.template_id', 't.id')
      .select(['t.id as templateId', 'v.id as versionId'])
      .where('t.tenant_id', 'is', null)
      .where('t.event_type', '=', 'global.info')
      .where('t.channel', '=', 'EMAIL')
      .executeTakeFirstOrThrow(),
  );
  globalTemplateId = ids.templateId;
  globalVersionId = ids.versionId;
  await asActor(database, tenantA, 'tenant_admin', (db) =>
    insertRow(db, 'audit_logs', { id: auditA, tenant_id: tenantA, actor_type: 'tenant_admin', actor_id: 'db-tests', action: 'test.a' }),
  );
  await withOperator(database, 'db-tests', (tx) =>
    insertRow(tx.db, 'audit_logs', {
      id: auditPlatform,
      tenant_id: null,
      actor_type: 'operator',
      actor_id: 'db-tests',
      action: 'test.platform',
    }),
  );
});

afterAll(async () => {
  await dropTenants(database, [tenantA, tenantB].filter(Boolean));
  await database.close();
});

describe('global templates', () => {
  // Operators add global templates of their own (the admin API's tests do, in this database): the 15 seeded ones are checked.
  it.each([...TENANT_ACTORS])('%s of a tenant reads the 15 seeded global templates, each with one active version', async (actor) => {
    const kinds = ['alert', 'error', 'info', 'success', 'warning'];
    const rows = await asActor(database, tenantA, actor, (db) =>
      db
        .selectFrom('templates as t')
        .innerJoin('template_versions as v', (join) => join.onRef('v.template_id', '=', 't.id').on('v.is_active', '=', true))
        .select(['t.event_type', 't.channel', 'v.category'])
        .where('t.tenant_id', 'is', null)
        .where('t.locale', '=', 'en')
        .where(
          't.event_type',
          'in',
          kinds.map((kind) => `global.${kind}`),
        )
        .orderBy('t.event_type')
        .orderBy('t.channel')
        .execute(),
    );
    expect(rows.map((r) => `${r.event_type}/${r.channel}`)).toEqual(
      kinds.flatMap((kind) => ['EMAIL', 'PUSH', 'SMS'].map((channel) => `global.${kind}/${channel}`)),
    );
    expect(rows.filter((r) => r.channel === 'PUSH').map((r) => r.category)).toEqual(kinds);
  });

  it('system reads them too', async () => {
    expect(await withSystem(database, 'db-tests', (tx) => count(tx.db, 'templates', sql`tenant_id is null`))).toBeGreaterThanOrEqual(15);
  });

  describe.each([...TENANT_ACTORS])('as %s of a tenant', (actor) => {
    it('cannot insert a global template or a version of one', async () => {
      await expectPgError(
        asActor(database, tenantA, actor, (db) =>
          insertRow(db, 'templates', { id: randomUUID(), tenant_id: null, event_type: 'global.hijack', channel: 'EMAIL', locale: 'fr' }),
        ),
        '42501',
      );
      await expectPgError(
        asActor(database, tenantA, actor, (db) =>
          insertRow(db, 'template_versions', { id: randomUUID(), template_id: globalTemplateId, tenant_id: null, version: 99 }),
        ),
        '42501',
      );
    });

    it('cannot update or delete global templates or their versions', async () => {
      const attempts = await Promise.all([
        affectedOrError(
          asActor(database, tenantA, actor, (db) => sql`update templates set locale = 'xx' where id = ${globalTemplateId}`.execute(db)),
        ),
        affectedOrError(
          asActor(database, tenantA, actor, (db) =>
            sql`update template_versions set is_active = false where id = ${globalVersionId}`.execute(db),
          ),
        ),
        affectedOrError(
          asActor(database, tenantA, actor, (db) => sql`delete from template_versions where id = ${globalVersionId}`.execute(db)),
        ),
        affectedOrError(asActor(database, tenantA, actor, (db) => sql`delete from templates where id = ${globalTemplateId}`.execute(db))),
      ]);
      expect(attempts).toEqual([0, 0, 0, 0]);
    });

    it('cannot attach its own version to a global template', async () => {
      await expectPgError(
        asActor(database, tenantA, actor, (db) =>
          insertRow(db, 'template_versions', { id: randomUUID(), template_id: globalTemplateId, tenant_id: tenantA, version: 98 }),
        ),
        '23503', // the composite foreign key (template_id, tenant_id)
      );
    });
  });

  it('the global operator can change them (rolled back here)', async () => {
    await asGlobalOperatorRolledBack(async (tx) => {
      const updated = await tx.db
        .updateTable('template_versions')
        .set({ is_active: false })
        .where('id', '=', globalVersionId)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(1n);
      await insertRow(tx.db, 'templates', { id: randomUUID(), tenant_id: null, event_type: 'global.info', channel: 'EMAIL', locale: 'de' });
    });
  });

  it('a global version cannot be put under a tenant template, even by the operator', async () => {
    const tenantTemplate = randomUUID();
    await asActor(database, tenantB, 'tenant_admin', (db) =>
      insertRow(db, 'templates', { id: tenantTemplate, tenant_id: tenantB, event_type: 'order.shipped', channel: 'SMS', locale: 'en' }),
    );
    await expectPgError(
      withOperator(database, 'db-tests', (tx) =>
        insertRow(tx.db, 'template_versions', { id: randomUUID(), template_id: tenantTemplate, tenant_id: null, version: 1 }),
      ),
      '42501',
    );
  });

  it('versions are immutable apart from is_active, for every actor', async () => {
    await expectPgError(
      withOperator(database, 'db-tests', (tx) =>
        tx.db.updateTable('template_versions').set({ subject: 'changed' }).where('id', '=', globalVersionId).execute(),
      ),
      '42501',
    );
  });
});

describe('audit_logs', () => {
  const actors = [
    ...TENANT_ACTORS.map((actor) => [actor, (q: string) => asActor(database, tenantA, actor, (db) => sql.raw(q).execute(db))] as const),
    ['global operator', (q: string) => withOperator(database, 'db-tests', (tx) => sql.raw(q).execute(tx.db))] as const,
    ['system', (q: string) => withSystem(database, 'db-tests', (tx) => sql.raw(q).execute(tx.db))] as const,
  ];

  it.each(actors)('%s cannot update or delete audit rows, even its own tenant', async (_actor, run) => {
    await expectPgError(run(`UPDATE audit_logs SET action = 'tampered' WHERE id = '${auditA}'`), '42501');
    await expectPgError(run(`DELETE FROM audit_logs WHERE id = '${auditA}'`), '42501');
    await expectPgError(run(`UPDATE audit_logs SET action = 'tampered' WHERE id = '${auditPlatform}'`), '42501');
  });

  it('platform entries (no tenant) are readable by the global operator only', async () => {
    for (const actor of TENANT_ACTORS) {
      expect(await asActor(database, tenantA, actor, (db) => count(db, 'audit_logs', sql`id = ${auditPlatform}`))).toBe(0);
    }
    expect(await withSystem(database, 'db-tests', (tx) => count(tx.db, 'audit_logs', sql`id = ${auditPlatform}`))).toBe(0);
    expect(await withOperator(database, 'db-tests', (tx) => count(tx.db, 'audit_logs', sql`id = ${auditPlatform}`))).toBe(1);
  });

  it('a tenant writes and reads its own entries; system may append platform entries only', async () => {
    expect(await asActor(database, tenantA, 'api_key', (db) => count(db, 'audit_logs', sql`id = ${auditA}`))).toBe(1);
    await withSystem(database, 'db-tests', (tx) =>
      insertRow(tx.db, 'audit_logs', {
        id: randomUUID(),
        tenant_id: null,
        actor_type: 'system',
        actor_id: 'db-tests',
        action: 'test.system',
      }),
    );
    await expectPgError(
      withSystem(database, 'db-tests', (tx) =>
        insertRow(tx.db, 'audit_logs', {
          id: randomUUID(),
          tenant_id: tenantA,
          actor_type: 'system',
          actor_id: 'db-tests',
          action: 'test.system',
        }),
      ),
      '42501',
    );
  });
});
