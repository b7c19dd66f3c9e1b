import { createServer as createTcpServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { identityOfUsername, type MqttIdentity, mqttAccess } from '../acl';
import { type LinkageError, type LinkageResult, linkFail } from '../errors';
import { type PasswordTable, verifyMqttPassword } from './mqtt-password';

/**
 * The embedded MQTT broker used when no MQTT_URL is configured: aedes (pure JS, in memory) served over
 * TCP or TLS. Retained messages and Last Will work as on Mosquitto; nothing survives a restart, which is
 * fine for the laptop demo and a single-station install (the lanes republish their state on reconnect).
 * Every client authenticates with a password from the password file, and every publish and subscribe is
 * checked against the linkage ACL (acl.ts), exactly as the Mosquitto files rendered from it do.
 */
export interface EmbeddedBroker {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface EmbeddedBrokerAccess {
  /** The ACL applies under this topic root; nothing outside it is granted. */
  readonly topicRoot: string;
  /** username → Mosquitto-format hash (a Map, or passwordFileTable). Nobody else may connect. */
  readonly passwords: PasswordTable;
}

export interface EmbeddedBrokerTls {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
}

export interface EmbeddedBrokerOptions {
  readonly access: EmbeddedBrokerAccess;
  /** 0 picks a free port (tests). */
  readonly port?: number;
  /** Loopback by default: exposing the broker is a deliberate act (see PROTOCOL.md, security). */
  readonly host?: string;
  /** Serve MQTT over TLS (mqtts://) with this key and certificate. */
  readonly tls?: EmbeddedBrokerTls;
  /** Each refused CONNECT, PUBLISH or SUBSCRIBE, for the log. */
  readonly onRefused?: (clientId: string, error: LinkageError) => void;
}

// A hash of nothing anyone knows: an unknown user costs the same PBKDF2 as a known one.
const DUMMY_HASH = `$7$101$${Buffer.alloc(12).toString('base64')}$${Buffer.alloc(64).toString('base64')}`;
// MQTT 3.1.1 CONNACK 5 "not authorised": the same answer for unknown, wrong and anonymous.
const NOT_AUTHORISED = 5;

export async function startEmbeddedBroker(
  options: EmbeddedBrokerOptions,
): Promise<LinkageResult<EmbeddedBroker>> {
  const host = options.host ?? '127.0.0.1';
  const { topicRoot, passwords } = options.access;
  const identities = new WeakMap<Client, MqttIdentity>();
  const refused = (client: Client | null, error: LinkageError) =>
    options.onRefused?.(client?.id ?? '', error);

  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const deny = (error: LinkageError) => {
        refused(client, error);
        done(
          Object.assign(new Error(error.reason), { returnCode: NOT_AUTHORISED }) as AuthenticateError,
          false,
        );
      };
      const identity = identityOfUsername(username);
      const known = username === undefined ? undefined : passwords.get(username);
      const hash = known ?? DUMMY_HASH;
      verifyMqttPassword(password?.toString('utf8') ?? '', hash).then(
        (good) => {
          if (!identity.ok) return deny(identity.error);
          if (!good || known === undefined) {
            return deny(linkFail('MQTT_AUTH_REFUSED', 'password', `MQTT用户“${username}”认证失败`).error);
          }
          identities.set(client, identity.value);
          done(null, true);
        },
        () => deny(linkFail('MQTT_AUTH_REFUSED', 'password', 'MQTT认证出错').error),
      );
    },
    authorizePublish: (client, packet, done) => {
      const identity = client ? identities.get(client) : undefined;
      const access = identity
        ? mqttAccess(topicRoot, identity, 'publish', packet.topic)
        : linkFail('MQTT_ACL_DENIED', 'publish', '未认证的客户端不得发布');
      if (access.ok) return done(null);
      refused(client, access.error);
      // An error ends the connection: a client that tries another's topic is not kept.
      done(access.error);
    },
    authorizeSubscribe: (client, subscription, done) => {
      const identity = identities.get(client);
      const access = identity
        ? mqttAccess(topicRoot, identity, 'subscribe', subscription.topic)
        : linkFail('MQTT_ACL_DENIED', 'subscribe', '未认证的客户端不得订阅');
      if (access.ok) return done(null, subscription);
      refused(client, access.error);
      // null grants nothing: the SUBACK says 0x80 (failure) for that filter, as Mosquitto 2 does.
      done(null, null);
    },
  });
  const server: Server = options.tls
    ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, broker.handle)
    : createTcpServer(broker.handle);
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
      url: `${options.tls ? 'mqtts' : 'mqtt'}://${host}:${port}`,
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
