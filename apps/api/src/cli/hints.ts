import type { ErrorDetail } from '../platform/errors.js';

/**
 * What a person can do about a refusal, printed under the error. A base URL or SMTP host refused
 * for its scheme or its address is most often a developer pointing at a fake vendor on this
 * machine: name the development flag and what it lifts (docs/providers.md §4).
 */
export function hintsFor(details: readonly ErrorDetail[]): string[] {
  const baseUrl = details.some((d) => d.path === 'baseUrl' && /must use https|loopback or private/.test(d.message));
  if (!baseUrl) return [];
  return [
    'hint: for development against services on this machine (such as fake vendors on 127.0.0.1), set ALLOW_PRIVATE_PROVIDER_URLS=true: ' +
      'it allows http base URLs and loopback or private addresses, for base URLs and SMTP hosts alike. ' +
      'The API, the CLI and the gateway all read it, and refuse to start with it under NODE_ENV=production.',
  ];
}
