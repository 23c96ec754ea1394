import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP relay in front of a real server (e.g. PostgreSQL) that a test can close and
 * reopen: `cut()` resets every relayed connection and refuses new ones, as a server that restarts
 * does, for only the process pointed at the gate; `restore()` lets connections through again.
 */
export class TcpGate {
  private server: Server | undefined;
  private open = true;
  private readonly live = new Set<Socket>();
  /** Connections refused while cut: how often the client tried to come back. */
  refused = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    const server = createServer((client) => {
      client.on('error', () => undefined);
      if (!this.open) {
        this.refused++;
        client.resetAndDestroy();
        return;
      }
      const upstream = createConnection(this.target);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      this.live.add(client).add(upstream);
      client.once('close', () => this.live.delete(client));
      upstream.once('close', () => this.live.delete(upstream));
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('tcp gate has no port');
    return address.port;
  }

  cut(): void {
    this.open = false;
    for (const socket of this.live) socket.resetAndDestroy();
    this.live.clear();
  }

  restore(): void {
    this.open = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
