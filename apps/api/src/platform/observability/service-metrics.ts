import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProduceObserver } from '@orqestra/bus';

interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of the API and worker processes (docs/observability.md lists them),
 * served at GET /metrics. One instance per process, built in its entry point and handed to what
 * it measures. Names match the gateway's (`orqestra_*`); a metric a process never touches shows
 * only its HELP line.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  // HTTP (API)
  readonly httpDuration = new Histogram({
    name: 'orqestra_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly eventsAccepted = new Counter({
    name: 'orqestra_events_accepted_total',
    help: 'Events accepted by the trigger routes (a bulk call counts each of its events)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly eventsRefused = new Counter({
    name: 'orqestra_events_refused_total',
    help: 'Events refused by the trigger routes, by error code',
    labelNames: ['route', 'code'] as const,
    registers: [this.registry],
  });

  // Kafka
  readonly produceDuration = new Histogram({
    name: 'orqestra_kafka_produce_duration_seconds',
    help: 'Kafka produce requests (acks=all) by topic and outcome, with their latency',
    labelNames: ['topic', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'orqestra_consumer_lag',
    help: "Messages published but not yet committed by this process's consumer group, by topic",
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'orqestra_consumer_batch_size',
    help: 'Messages per batch handed to a consumer, by topic',
    labelNames: ['topic'] as const,
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500],
    registers: [this.registry],
  });

  // Worker
  readonly orchestrated = new Counter({
    name: 'orqestra_worker_events_total',
    help: 'Events the worker handled, by outcome (processed, redelivered, duplicate_event_id, rejected)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly renderDuration = new Histogram({
    name: 'orqestra_template_render_duration_seconds',
    help: 'Time to render one template for one event (all its fields)',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });

  /** Prometheus' usual process_* and nodejs_* metrics, prefixed `orqestra_`. */
  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'orqestra_' });
  }

  /** Reads the pool's counters at each scrape (nothing is done between scrapes). */
  watchPool(pool: PoolStats): void {
    new Gauge({
      name: 'orqestra_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  /** For BusProducer's onProduce option. */
  readonly observeProduce: ProduceObserver = (topic, _messages, seconds, failed) => {
    this.produceDuration.observe({ topic, outcome: failed ? 'failed' : 'ok' }, seconds);
  };
}
