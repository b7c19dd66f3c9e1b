import { connect, createServer, type Server, type Socket } from 'node:net';

export type LinkMode = 'up' | 'down' | 'slow';

/**
 * A TCP proxy standing in for the WAN between the station and the centre. `down`: every live connection is
 * cut and new ones are reset (a centre outage as the station sees it); `slow`: every chunk is held back by
 * `latencyMs` in each direction (order kept: same delay, timers fire in order).
 */
export class FaultProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  mode: LinkMode = 'up';
  latencyMs = 0;
  /** Connections refused while down. */
  refused = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  listen(port = 0): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  setMode(mode: LinkMode, latencyMs = this.latencyMs): void {
    this.mode = mode;
    this.latencyMs = latencyMs;
    if (mode === 'down') for (const s of this.sockets) s.destroy();
  }

  private accept(client: Socket): void {
    if (this.mode === 'down') {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => {
        if (this.mode === 'slow' && this.latencyMs > 0) {
          from.pause();
          setTimeout(() => {
            if (!to.destroyed) to.write(chunk);
            from.resume();
          }, this.latencyMs);
        } else if (!to.destroyed) to.write(chunk);
      });
      from.on('end', () => to.end());
    };
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
