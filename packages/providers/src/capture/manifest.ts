import { z } from 'zod';
import type { ProviderManifest } from '../types.js';
import { CAPTURE_PROVIDER_ID, createCaptureAdapter } from './adapter.js';

/** Nothing: `{}` (any key is refused). */
export const captureCredentials = z.record(z.string(), z.never());
export type CaptureCredentials = z.infer<typeof captureCredentials>;

/** The sandbox provider for every channel (SPEC §3: sandbox rows go to capture, no failover). */
export const captureManifest: ProviderManifest<CaptureCredentials> = {
  id: CAPTURE_PROVIDER_ID,
  channel: 'ANY',
  builtIn: true,
  credentials: captureCredentials,
  // No secret to show.
  secretField: '',
  defaultBaseUrl: '',
  supportsIdempotencyKey: true,
  create: () => createCaptureAdapter(),
};
