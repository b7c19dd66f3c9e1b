import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { type LinkageResult, linkFail } from '../errors';

/**
 * The embedded MQTT broker used when no MQTT_URL is configured: aedes (pure JS, in memory) served over
 * TCP. Retained messages and Last Will work as on Mosquitto; nothing survives a restart, which is fine
 * for the laptop demo and a single-station install (the lanes republish their state on reconnect).
 */
export interface EmbeddedBroker {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** Loopback by default: exposing the broker is a deliberate act (see PROTOCOL.md, security). */
  readonly host?: string;
}

export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions = {},
): Promise<LinkageResult<EmbeddedBroker>> {
  const host = options.host ?? '127.0.0.1';
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  const listening = await new Promise<LinkageResult<number>>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(
        linkFail(
          'CONFIG_INVALID',
          'port',
          `内置MQTT服务无法监听${host}:${options.port ?? 1883}（${error.code ?? error.message}）`,
        ),
      );
    });
    server.listen(options.port ?? 1883, host, () => {
      const address = server.address();
      resolve({ ok: true, value: typeof address === 'object' && address ? address.port : 0 });
    });
  });
  if (!listening.ok) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    return listening;
  }
  const port = listening.value;
  return {
    ok: true,
    value: {
      url: `mqtt://${host}:${port}`,
      host,
      port,
      close: () =>
        new Promise<void>((resolve) => {
          // Close the broker first: it ends client connections, which lets server.close() complete.
          broker.close(() => server.close(() => resolve()));
        }),
    },
  };
}
