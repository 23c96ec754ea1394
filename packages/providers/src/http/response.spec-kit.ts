import type { VendorResponse } from './vendor-call.js';

/** A vendor answer for the mapper unit tests. */
export function vendorResponse(status: number, body?: unknown, headers: Record<string, string> = {}): VendorResponse {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status, headers: new Headers(headers), text, json };
}
