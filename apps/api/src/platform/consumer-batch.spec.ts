import { describe, expect, it } from 'vitest';
import { consumerErrorCode, dispositionOf, groupByTenant } from './consumer-batch.js';

/** A PostgreSQL error as the driver reports it: the SQLSTATE in `code`. */
const pgError = (sqlState: string) => Object.assign(new Error(`pg ${sqlState}`), { code: sqlState });

describe("the worker's Kafka runner: a failed handling → a catalog code → what the runner does", () => {
  it('skips what a retry cannot fix: PostgreSQL data exceptions (22xxx) and integrity violations (23xxx) are DATA_REJECTED', () => {
    for (const sqlState of ['22P05', '22021', '23503', '23505', '23514']) {
      expect([consumerErrorCode(pgError(sqlState)), dispositionOf(pgError(sqlState))]).toEqual(['DATA_REJECTED', 'skip']);
    }
  });

  it('retries the batch for anything else: the database, broker or Redis away, a serialization failure, a bug', () => {
    const others: unknown[] = [
      pgError('40001'), // serialization failure
      pgError('57P01'), // admin shutdown (PostgreSQL restarting)
      pgError('08006'), // connection failure
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      new Error('a render the machine slowed down'),
      { code: 230 }, // not a SQLSTATE string
      undefined,
      null,
    ];
    for (const error of others) expect([consumerErrorCode(error), dispositionOf(error)]).toEqual(['INTERNAL', 'retry']);
  });

  it('groups a batch by tenant, in order of first appearance', () => {
    const groups = groupByTenant([
      { tenantId: 'b', n: 1 },
      { tenantId: 'a', n: 2 },
      { tenantId: 'b', n: 3 },
    ]);
    expect([...groups.entries()].map(([t, items]) => [t, items.map((i) => i.n)])).toEqual([
      ['b', [1, 3]],
      ['a', [2]],
    ]);
  });
});
