import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Outcome } from '@orqestra/providers';

/** SPEC §8 metrics of the gateway, served at GET /metrics. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly outcomes = new Counter({
    name: 'orqestra_dispatch_outcomes_total',
    help: 'Provider calls and skipped duplicates by channel, provider and outcome',
    labelNames: ['channel', 'provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'orqestra_provider_latency_seconds',
    help: 'Provider call latency',
    labelNames: ['channel', 'provider'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'orqestra_dead_letters_total',
    help: 'Notifications dead-lettered, by channel and error code',
    labelNames: ['channel', 'code'] as const,
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'orqestra_consumer_lag',
    help: "Messages published but not yet committed by the gateway's consumer group, by topic",
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly scheduledRetries = new Gauge({
    name: 'orqestra_retry_scheduled',
    help: 'Retry messages held in memory until due',
    registers: [this.registry],
  });
  readonly sweeperActions = new Counter({
    name: 'orqestra_sweeper_actions_total',
    help: 'Rows the sweeper republished, by what it found',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'orqestra_breaker_state',
    help: "1 for the current state of each provider's circuit breaker in this gateway (closed, open, half-open), 0 for the others",
    labelNames: ['breaker', 'state'] as const,
    registers: [this.registry],
  });
  readonly breakerTransitions = new Counter({
    name: 'orqestra_breaker_transitions_total',
    help: 'Circuit breaker state changes in this gateway, by the state entered',
    labelNames: ['to'] as const,
    registers: [this.registry],
  });

  observe(channel: string, provider: string, outcome: Outcome, durationMs: number): void {
    this.outcomes.inc({ channel, provider, outcome: outcome.kind === 'permanent' ? `permanent_${outcome.level}` : outcome.kind });
    this.latency.observe({ channel, provider }, durationMs / 1000);
  }
}
