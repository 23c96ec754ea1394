import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DEFAULT_BEHAVIOUR, type AcceptedSend, type FakeBehaviour } from '../fakes/fake-vendor-server.js';

/** One message the fake received (after the final `.`), credentials left out. */
export interface ReceivedMail {
  /** The reverse path of MAIL FROM. */
  from: string;
  /** The forward paths of RCPT TO. */
  to: string[];
  /** The raw message (headers and body), dot-unstuffed. */
  data: string;
  /** The session had authenticated with the expected user and password. */
  authorized: boolean;
  at: Date;
}

/**
 * The switches of the HTTP fakes, in SMTP terms: `rateLimit` → 450 4.7.1 at MAIL FROM;
 * `fail5xx` → 421 4.3.2 at MAIL FROM (the server's temporary failure); `permanent` → 550 5.1.1
 * at RCPT TO; `badCredentials` → 535 5.7.8; `slowMs` delays the reply to the final `.` (the
 * message is accepted first); `dropConnection` resets the connection instead of that reply.
 */
export type FakeSmtpBehaviour = FakeBehaviour;

const ADDRESS = /^<([^<>\s]*)>/;

/**
 * A tiny ESMTP server on 127.0.0.1 (port 0), no TLS: EHLO/HELO, AUTH PLAIN and LOGIN,
 * MAIL/RCPT/DATA, RSET, NOOP, QUIT; replies and enhanced status codes as RFC 5321/3463 describe.
 */
export class FakeSmtp {
  readonly user: string;
  readonly password: string;
  readonly received: ReceivedMail[] = [];
  readonly accepted: AcceptedSend[] = [];
  behaviour: FakeSmtpBehaviour = { ...DEFAULT_BEHAVIOUR };
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(options: { user?: string; password?: string } = {}) {
    this.user = options.user ?? 'mailer';
    this.password = options.password ?? randomBytes(12).toString('hex');
  }

  get host(): string {
    return '127.0.0.1';
  }

  get portNumber(): number {
    if (!this.server) throw new Error('fake SMTP server not started');
    return this.port;
  }

  set(patch: Partial<FakeSmtpBehaviour>): this {
    this.behaviour = { ...this.behaviour, ...patch };
    return this;
  }

  ok(): this {
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
    return this;
  }

  acceptedSends(): number {
    return this.accepted.length;
  }

  async start(): Promise<{ host: string; port: number; close(): Promise<void> }> {
    const server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return { host: this.host, port: this.port, close: () => this.close() };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const reply = (line: string): void => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    let buffer = '';
    let authorized = false;
    let from: string | undefined;
    let to: string[] = [];
    let data: string[] | undefined;
    let auth: { step: 'plain' | 'login-user' | 'login-pass'; user?: string } | undefined;
    const checkAuth = (user: string, pass: string): void => {
      authorized = !this.behaviour.badCredentials && user === this.user && pass === this.password;
      reply(authorized ? '235 2.7.0 Authentication successful' : '535 5.7.8 Authentication credentials invalid');
    };
    const decode = (text: string): string => Buffer.from(text, 'base64').toString('utf8');

    const endOfData = async (lines: string[]): Promise<void> => {
      const mail: ReceivedMail = { from: from ?? '', to, data: lines.join('\r\n'), authorized, at: new Date() };
      this.received.push(mail);
      const id = randomBytes(6).toString('hex').toUpperCase();
      this.accepted.push({ id, at: mail.at, body: mail });
      from = undefined;
      to = [];
      if (this.behaviour.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, this.behaviour.slowMs));
      if (this.behaviour.dropConnection) return void socket.resetAndDestroy();
      reply(`250 2.0.0 Ok: queued as ${id}`);
    };

    const command = (line: string): void => {
      if (data) {
        if (line === '.') {
          const lines = data;
          data = undefined;
          void endOfData(lines);
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      if (auth) {
        const step = auth;
        auth = undefined;
        if (step.step === 'plain') {
          const [, user = '', pass = ''] = decode(line).split('\0');
          return checkAuth(user, pass);
        }
        if (step.step === 'login-user') {
          auth = { step: 'login-pass', user: decode(line) };
          return reply('334 UGFzc3dvcmQ6');
        }
        return checkAuth(step.user ?? '', decode(line));
      }
      const [verb = '', ...rest] = line.split(' ');
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          return reply('250-fake-smtp.test\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN');
        case 'HELO':
          return reply('250 fake-smtp.test');
        case 'AUTH': {
          const [mechanism = '', initial] = argument.split(' ');
          if (mechanism.toUpperCase() === 'PLAIN') {
            if (initial) {
              const [, user = '', pass = ''] = decode(initial).split('\0');
              return checkAuth(user, pass);
            }
            auth = { step: 'plain' };
            return reply('334 ');
          }
          if (mechanism.toUpperCase() === 'LOGIN') {
            auth = { step: 'login-user' };
            return reply('334 VXNlcm5hbWU6');
          }
          return reply('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL': {
          if (!authorized) return reply('530 5.7.0 Authentication required');
          if (this.behaviour.rateLimit > 0) {
            this.behaviour.rateLimit -= 1;
            return reply('450 4.7.1 Sending rate limit exceeded, try again later');
          }
          if (this.behaviour.fail5xx > 0) {
            this.behaviour.fail5xx -= 1;
            reply('421 4.3.2 Service not available, closing transmission channel');
            return void socket.end();
          }
          const match = ADDRESS.exec(argument.replace(/^FROM:\s*/i, ''));
          if (!match) return reply('501 5.1.7 Bad sender address syntax');
          from = match[1];
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          if (from === undefined) return reply('503 5.5.1 Error: need MAIL command');
          const match = ADDRESS.exec(argument.replace(/^TO:\s*/i, ''));
          const address = match?.[1] ?? '';
          if (this.behaviour.permanent || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
            return reply(`550 5.1.1 <${address}>: Recipient address rejected: User unknown in virtual mailbox table`);
          }
          to.push(address);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (to.length === 0) return reply('503 5.5.1 Error: need RCPT command');
          data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = undefined;
          to = [];
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          return void socket.end();
        default:
          return reply('502 5.5.2 Error: command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let index: number;
      while ((index = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        command(line);
      }
    });
    reply('220 fake-smtp.test ESMTP ready');
  }
}
