import { ambiguous, permanent, retryable } from '../http/outcomes.js';
import { redactVendorText } from '../http/redact.js';
import type { Outcome } from '../types.js';

/** How far the SMTP session got: nothing can have been delivered before `send`. */
export type SmtpPhase = 'connect' | 'auth' | 'send';

/** The fields nodemailer puts on its errors. */
export interface SmtpError {
  code?: string;
  /** The system error behind a nodemailer code, e.g. ECONNREFUSED. */
  originalCode?: string;
  responseCode?: number;
  /** The SMTP command the server answered: `CONN`, `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA`… */
  command?: string;
  response?: string;
}

function describe(error: SmtpError, sensitive: readonly (string | undefined)[]): string {
  const reply = redactVendorText(error.response, sensitive);
  const where = error.command ? ` after ${error.command}` : '';
  return error.responseCode ? `SMTP ${error.responseCode}${where}: ${reply}` : `SMTP ${error.code ?? 'error'}${where}`;
}

function transient(text: string, reply: string | undefined): Outcome {
  if (/rate|too many|limit|throttl/i.test(reply ?? '')) return retryable('VENDOR_RATE_LIMITED', text, { failover: true, throttled: true });
  return retryable('VENDOR_UNAVAILABLE', text, { failover: true });
}

/**
 * Maps a failed SMTP session to an outcome. Before the message is handed over (`connect`, `auth`)
 * nothing can have been delivered: every failure is retryable with failover, bad credentials are
 * provider level. During `send`, a server's 5xx reply is permanent (sender → provider level,
 * recipient or content → message level) and a 4xx is retryable; a timeout or a lost connection is
 * ambiguous — the server may have queued the message.
 */
export function smtpErrorOutcome(phase: SmtpPhase, error: SmtpError, sensitive: readonly (string | undefined)[]): Outcome {
  const text = describe(error, sensitive);
  const reply = error.responseCode;
  const temporary = reply !== undefined && reply >= 400 && reply < 500;
  const rejected = reply !== undefined && reply >= 500;
  if (phase === 'connect') {
    if (error.originalCode === 'ECONNREFUSED')
      return retryable('CONNECTION_REFUSED', 'SMTP server refused the connection', { failover: true });
    if (reply !== undefined) return retryable('VENDOR_UNAVAILABLE', text, { failover: true });
    return retryable('CONNECTION_FAILED', text, { failover: true });
  }
  if (phase === 'auth') {
    if (temporary) return retryable('VENDOR_UNAVAILABLE', text, { failover: true });
    if (rejected || error.code === 'EAUTH') return permanent('provider', 'INVALID_CREDENTIALS', text);
    return retryable('CONNECTION_FAILED', text, { failover: true });
  }
  if (temporary) return transient(text, error.response);
  if (rejected) {
    switch (error.command) {
      case 'MAIL FROM':
        if (reply === 552) return permanent('message', 'CONTENT_REJECTED', text);
        if (reply === 530) return permanent('provider', 'INVALID_CREDENTIALS', text);
        return permanent('provider', 'SENDER_REJECTED', text);
      case 'RCPT TO':
        return permanent('message', reply === 552 ? 'UNREACHABLE_RECIPIENT' : 'INVALID_RECIPIENT', text);
      case 'DATA':
        return permanent('message', error.code === 'EMESSAGE' ? 'CONTENT_REJECTED' : 'REQUEST_REJECTED', text);
      default:
        return permanent('message', 'REQUEST_REJECTED', text);
    }
  }
  if (error.code === 'EMESSAGE') return permanent('message', 'CONTENT_REJECTED', text);
  if (error.code === 'EENVELOPE') return permanent('message', 'INVALID_RECIPIENT', text);
  if (error.code === 'ETIMEDOUT') return ambiguous('TIMEOUT', `${text}; it may have been sent`);
  return ambiguous('CONNECTION_LOST', `${text}; it may have been sent`);
}
