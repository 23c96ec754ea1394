/**
 * Circuit breakers per provider config (SPEC §3): opened by consecutive retryable failures or at
 * once by a provider-level permanent failure; after the cool-down one trial call is let through
 * (half-open) and its result closes or re-opens the breaker. Kept per gateway process.
 */
type State = { kind: 'closed'; failures: number } | { kind: 'open'; until: number } | { kind: 'half-open'; trialRunning: boolean };

export class Breakers {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly settings: { threshold: number; cooldownMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** May this provider take a call now? (A half-open breaker lets exactly one trial through.) */
  allows(key: string): boolean {
    const state = this.states.get(key);
    if (!state || state.kind === 'closed') return true;
    if (state.kind === 'open') {
      if (this.now() < state.until) return false;
      this.states.set(key, { kind: 'half-open', trialRunning: true });
      return true;
    }
    if (state.trialRunning) return false;
    state.trialRunning = true;
    return true;
  }

  success(key: string): void {
    this.states.delete(key);
  }

  failure(key: string): void {
    const state = this.states.get(key);
    if (state?.kind === 'half-open') return this.open(key);
    const failures = (state?.kind === 'closed' ? state.failures : 0) + 1;
    if (failures >= this.settings.threshold) this.open(key);
    else this.states.set(key, { kind: 'closed', failures });
  }

  open(key: string): void {
    this.states.set(key, { kind: 'open', until: this.now() + this.settings.cooldownMs });
  }

  state(key: string): 'closed' | 'open' | 'half-open' {
    return this.states.get(key)?.kind ?? 'closed';
  }
}
