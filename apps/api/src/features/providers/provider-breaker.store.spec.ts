import { describe, expect, it } from 'vitest';
import type { BreakerSnapshot } from '@orqestra/contracts';
import { BREAKER_SNAPSHOT_FRESH_MS, summarise } from './provider-breaker.store.js';

const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const at = (msBefore: number) => new Date(NOW - msBefore).toISOString();
const snapshot = (overrides: Partial<BreakerSnapshot>): string =>
  JSON.stringify({ state: 'closed', since: at(60_000), failures: 0, updatedAt: at(1_000), ...overrides });

describe('the breaker state a provider config shows', () => {
  it('is unknown when no gateway reported, or every report is stale or unreadable', () => {
    expect(summarise({}, NOW)).toEqual({ state: 'unknown', since: null, openUntil: null, lastError: null, gateways: [] });
    const view = summarise(
      {
        old: snapshot({ state: 'open', updatedAt: at(BREAKER_SNAPSHOT_FRESH_MS + 1) }),
        bad: '{"state":"open"',
        odd: snapshot({ state: 'melted' as never }),
      },
      NOW,
    );
    expect(view.state).toBe('unknown');
  });

  it('takes the worst fresh state, its since and openUntil, and the newest last error of any gateway', () => {
    const view = summarise(
      {
        'gw-1': snapshot({ state: 'closed', lastError: { code: 'TIMEOUT', message: 'slow', at: at(5_000) } }),
        'gw-2': snapshot({ state: 'half-open', since: at(2_000), lastError: { code: 'PROVIDER_5XX', message: '503', at: at(30_000) } }),
        'gw-3': snapshot({ state: 'open', since: at(400_000), openUntil: at(0), updatedAt: at(BREAKER_SNAPSHOT_FRESH_MS + 1_000) }),
      },
      NOW,
    );
    expect(view).toMatchObject({ state: 'half-open', since: at(2_000), openUntil: null, lastError: { code: 'TIMEOUT' } });
    expect(view.gateways.map((g) => g.gatewayId)).toEqual(['gw-2', 'gw-1']);
  });
});
