import { serviceInfo } from '../../platform/build-info.js';
import type { Clock } from '../../platform/tokens.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { DependencyCheck, ServiceCheck, SystemView } from './system.schemas.js';
import { type SystemProbes, withinProbeTime } from './system.probes.js';

export interface SystemSettings {
  /** Other services' operations endpoints to probe (name → base URL). */
  services: { name: string; url: string }[];
  /** Where this API serves /metrics (its own listening address). */
  apiMetricsUrl: string;
  activeKeyId: string;
  retention: SystemView['retention'];
}

/**
 * The operator's System page (ADMIN-UI §5.2): every component asked for real at request time, in
 * parallel and each within 2 s, so a component that is down shows as down instead of holding the
 * page. What a failed probe means is decided here; the probes themselves are SystemProbes.
 */
export class SystemService {
  constructor(
    private readonly probes: SystemProbes,
    private readonly settings: SystemSettings,
    private readonly clock: Clock,
  ) {}

  async report(actor: Actor): Promise<SystemView> {
    const [dependencies, probed, secretsByKey] = await Promise.all([
      Promise.all([
        this.dependency('postgresql', () => this.probes.postgresVersion()),
        this.dependency('redis', () => this.probes.redisVersion()),
        this.dependency('kafka', async () => {
          await this.probes.kafka();
          return null;
        }),
        this.dependency('centrifugo', () => this.probes.centrifugoVersion()),
      ]),
      Promise.all(this.settings.services.map((s) => this.service(s.name, s.url))),
      withinProbeTime(this.probes.secretsByKey(actor.id), 'PostgreSQL'),
    ]);
    const self = serviceInfo('api');
    const api: ServiceCheck = {
      name: 'api',
      url: null,
      status: dependencies.some((d) => d.name !== 'centrifugo' && d.status === 'down') ? 'degraded' : 'ok',
      version: self.version,
      node: self.node,
      startedAt: self.startedAt,
      checks: Object.fromEntries(
        dependencies.filter((d) => d.name !== 'centrifugo').map((d) => [d.name === 'postgresql' ? 'postgres' : d.name, d.status]),
      ),
      error: null,
    };
    return {
      checkedAt: this.clock.now().toISOString(),
      services: [api, ...probed],
      dependencies,
      encryption: {
        activeKeyId: this.settings.activeKeyId,
        secretsByKey,
        awaitingReencryption: secretsByKey.filter((s) => s.keyId !== this.settings.activeKeyId).reduce((sum, s) => sum + s.count, 0),
      },
      retention: this.settings.retention,
      links: {
        docs: '/api/docs',
        metrics: [
          { name: 'api', url: this.settings.apiMetricsUrl },
          ...this.settings.services.map((s) => ({ name: s.name, url: new URL('/metrics', s.url).toString() })),
        ],
      },
    };
  }

  private async dependency(name: DependencyCheck['name'], probe: () => Promise<string | null>): Promise<DependencyCheck> {
    const started = performance.now();
    try {
      const version = await withinProbeTime(probe(), name);
      return { name, status: 'ok', version, latencyMs: Math.round(performance.now() - started), error: null };
    } catch (error) {
      return { name, status: 'down', version: null, latencyMs: Math.round(performance.now() - started), error: describe(error) };
    }
  }

  private async service(name: string, url: string): Promise<ServiceCheck> {
    try {
      const answer = await withinProbeTime(this.probes.ops(url), name);
      const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);
      const startedAt = text(answer.live?.startedAt);
      return {
        name,
        url,
        status: answer.readyStatus === 200 ? 'ok' : 'degraded',
        version: text(answer.live?.version),
        node: text(answer.live?.node),
        startedAt: startedAt && !Number.isNaN(Date.parse(startedAt)) ? new Date(startedAt).toISOString() : null,
        checks: answer.checks,
        error: answer.readyStatus === 200 ? null : `/health/ready answered HTTP ${answer.readyStatus}`,
      };
    } catch (error) {
      return { name, url, status: 'unreachable', version: null, node: null, startedAt: null, checks: null, error: describe(error) };
    }
  }
}

/** A probe's failure in one line, without stack or secrets (the Centrifugo key is never in a message). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'failed';
  const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
  if (error.name === 'TimeoutError') return `no answer within 2 s`;
  return (cause ? `${error.message} (${cause})` : error.message).slice(0, 300);
}
