import { randomUUID } from 'node:crypto';
import type { Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';

export const CAPTURE_PROVIDER_ID = 'capture';

/**
 * The sandbox provider, for every channel: sends nothing and answers `sent` with a
 * `capture:<uuid>` id. What was "sent" is the gateway's to store (sandbox_messages); sandbox rows
 * never fail over. Not in `PROVIDERS`: no tenant configures it.
 */
export function createCaptureAdapter(options: { newId?: () => string } = {}): ProviderAdapter {
  const newId = options.newId ?? randomUUID;
  return {
    send(_request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      if (signal.aborted) return Promise.resolve({ kind: 'retryable', code: 'ABORTED', message: 'capture cancelled', failover: false });
      return Promise.resolve({ kind: 'sent', vendorMessageId: `capture:${newId()}` });
    },
    testConnection(): Promise<TestConnectionResult> {
      return Promise.resolve({ ok: true });
    },
  };
}
