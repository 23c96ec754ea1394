import MailComposer from 'nodemailer/lib/mail-composer';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { BaseUrlError, resolveCheckedAddress } from '../base-url.js';
import { ambiguous, permanent, retryable, sent } from '../http/outcomes.js';
import type { AdapterOptions, Outcome, ProviderAdapter, SendRequest, TestConnectionResult } from '../types.js';
import type { SmtpCredentials } from './credentials.js';
import { smtpErrorOutcome, type SmtpError, type SmtpPhase } from './outcome.js';

/** The Message-ID we give the mail (the server's own id wins when its reply names one). */
export function smtpMessageId(request: SendRequest, fromAddress: string): string {
  const domain = fromAddress.split('@').at(-1) ?? 'orqestra.invalid';
  return `<${request.notificationId}.${request.attemptSeries}@${domain}>`;
}

/** The MIME message: From, To, Subject, text and/or HTML parts, our Message-ID. */
export function composeSmtpMessage(credentials: SmtpCredentials, request: SendRequest, to: string): Promise<Buffer> {
  const { content } = request;
  return new MailComposer({
    from: credentials.fromName ? { name: credentials.fromName, address: credentials.fromAddress } : credentials.fromAddress,
    to,
    subject: content.subject ?? '',
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.html !== undefined ? { html: content.html } : {}),
    messageId: smtpMessageId(request, credentials.fromAddress),
    headers: { 'X-Orqestra-Notification-Id': request.notificationId },
  })
    .compile()
    .build();
}

class Deadline extends Error {}

/**
 * Runs one step of nodemailer's callback API as a promise that also rejects when `signal` aborts
 * or the connection emits an error (connect failures arrive only as 'error' events).
 */
function step<T>(
  connection: SMTPConnection,
  signal: AbortSignal,
  start: (done: (error: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(new Deadline());
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort);
      connection.removeListener('error', onError);
    };
    const onAbort = (): void => {
      cleanup();
      reject(new Deadline());
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    connection.once('error', onError);
    start((error, value) => {
      cleanup();
      if (error) reject(error);
      else resolve(value as T);
    });
  });
}

/**
 * SMTP for self-hosters (nodemailer's SMTPConnection). The host from the credentials is resolved
 * and checked like a base URL override (SPEC §5), and the connection goes to the checked address
 * (TLS still verifies the certificate against the host name). The session is driven step by step
 * so the outcome knows whether the message could have been handed over: nothing before DATA can
 * have sent it.
 */
export function createSmtpAdapter(options: AdapterOptions<SmtpCredentials>): ProviderAdapter {
  const { credentials, timeoutMs } = options;
  const sensitive = [credentials.password, credentials.user];

  async function session<T>(
    signal: AbortSignal,
    work: (connection: SMTPConnection, deadline: AbortSignal, setPhase: (phase: SmtpPhase) => void) => Promise<T>,
  ): Promise<{ ok: true; value: T } | { ok: false; phase: SmtpPhase; error: unknown; timedOut: boolean }> {
    const address = await resolveCheckedAddress(credentials.host, { allowPrivate: options.allowPrivateAddresses === true });
    const timeout = AbortSignal.timeout(timeoutMs);
    const deadline = AbortSignal.any([signal, timeout]);
    const connection = new SMTPConnection({
      host: address,
      port: credentials.port,
      secure: credentials.tls === 'tls',
      requireTLS: credentials.tls === 'starttls',
      ignoreTLS: credentials.tls === 'none',
      servername: credentials.host,
      tls: { servername: credentials.host, minVersion: 'TLSv1.2' },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      logger: false,
    });
    // Errors also reach the pending callback; without a listener an 'error' event would throw.
    connection.on('error', () => undefined);
    let phase: SmtpPhase = 'connect';
    try {
      const value = await work(connection, deadline, (next) => (phase = next));
      connection.quit();
      return { ok: true, value };
    } catch (error) {
      connection.close();
      return { ok: false, phase, error, timedOut: timeout.aborted };
    }
  }

  async function handshake(connection: SMTPConnection, deadline: AbortSignal, setPhase: (phase: SmtpPhase) => void): Promise<void> {
    await step<void>(connection, deadline, (done) => connection.connect((error) => done(error)));
    setPhase('auth');
    if (credentials.user && credentials.password) {
      await step<boolean>(connection, deadline, (done) =>
        connection.login({ user: credentials.user ?? '', pass: credentials.password ?? '' }, done),
      );
    }
  }

  return {
    async send(request: SendRequest, signal: AbortSignal): Promise<Outcome> {
      const to = request.recipient.email;
      if (!to) return permanent('message', 'MISSING_RECIPIENT', 'no e-mail address for this recipient');
      if (signal.aborted) return retryable('ABORTED', 'SMTP send cancelled before it started', { failover: false });
      let message: Buffer;
      try {
        message = await composeSmtpMessage(credentials, request, to);
      } catch {
        return permanent('message', 'CONTENT_REJECTED', 'the message could not be composed');
      }
      let result;
      try {
        result = await session(signal, async (connection, deadline, setPhase) => {
          await handshake(connection, deadline, setPhase);
          setPhase('send');
          return step<SMTPConnectionSendInfo>(connection, deadline, (done) =>
            connection.send({ from: credentials.fromAddress, to: [to] }, message, done),
          );
        });
      } catch (error) {
        if (error instanceof BaseUrlError && error.code === 'BASE_URL_PRIVATE') {
          return permanent('provider', 'PROVIDER_MISCONFIGURED', 'the SMTP host resolves to a loopback or private address');
        }
        return retryable('CONNECTION_FAILED', 'the SMTP host does not resolve', { failover: true });
      }
      if (result.ok) return sent(result.value.serverMessageId ?? smtpMessageId(request, credentials.fromAddress));
      if (result.error instanceof Deadline) {
        const why = result.timedOut ? `no answer from the SMTP server within ${timeoutMs} ms` : 'SMTP send cancelled';
        if (result.phase === 'send') return ambiguous(result.timedOut ? 'TIMEOUT' : 'ABORTED', `${why}; it may have been sent`);
        return retryable(result.timedOut ? 'CONNECTION_FAILED' : 'ABORTED', `${why} (before the message was handed over)`, {
          failover: true,
        });
      }
      return smtpErrorOutcome(result.phase, result.error as SmtpError, [...sensitive, to]);
    },

    async testConnection(signal: AbortSignal): Promise<TestConnectionResult> {
      let result;
      try {
        result = await session(signal, (connection, deadline, setPhase) => handshake(connection, deadline, setPhase));
      } catch {
        return { ok: false, code: 'UNREACHABLE' };
      }
      if (result.ok) return { ok: true };
      if (result.phase === 'connect' || result.error instanceof Deadline) return { ok: false, code: 'UNREACHABLE' };
      const outcome = smtpErrorOutcome(result.phase, result.error as SmtpError, sensitive);
      if (outcome.kind === 'permanent' && outcome.code === 'INVALID_CREDENTIALS') return { ok: false, code: 'INVALID_CREDENTIALS' };
      return { ok: false, code: 'VENDOR_ERROR' };
    },
  };
}
