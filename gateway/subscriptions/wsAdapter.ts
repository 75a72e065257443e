import type { Server as HttpServer } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { createLogger } from '../../shared/logger';

const log = createLogger('subscriptions');

/**
 * The adapter between the `ws` socket server and graphql-ws's `makeServer`, which speaks the
 * protocol and knows no sockets (graphql-ws/use/ws does the same job). Ours is shaped for many idle
 * connections: a thousand subscribers hold a thousand of everything a connection keeps, so a
 * connection keeps one object of ours (its Connection, which graphql-ws sees as its socket and as
 * `ctx.extra`), its socket's listeners are functions shared by all sockets, and one sweep serves
 * every connection's keep-alive and connection-init deadline instead of timers (and their
 * closures) per connection.
 */

/**
 * One connection as graphql-ws sees it: its socket (`send`, `close`, `onMessage`) and its `extra`.
 * server.ts extends it with what it keeps per connection. Fields are all set in the constructor, so
 * every connection has one shape.
 */
export class Connection {
  /** The message handler graphql-ws registered. */
  private receive: ((data: string) => Promise<void>) | null = null;
  /** What graphql-ws runs once the socket closed (ends its subscriptions, calls onClose). */
  closed: ((code: number, reason: string) => Promise<void>) | null = null;
  /** Whether the client answered the last keep-alive ping (or it was sent none yet). */
  alive = true;
  /** When the socket opened; until connection_init arrives, the connection-init deadline counts from it. */
  readonly openedAtMs = Date.now();

  constructor(readonly socket: WebSocket) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  /** Resolves once the message has left for the kernel, so graphql-ws sends a subscription's next only then. */
  send(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.readyState !== WebSocket.OPEN) return resolve();
      this.socket.send(data, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(receive: (data: string) => Promise<void>): void {
    this.receive = receive;
  }

  /** A message from the client, to graphql-ws; what it throws closes the connection (its message kept in the log). */
  async deliver(data: string): Promise<void> {
    try {
      await this.receive?.(data);
    } catch (error) {
      log.error({ err: error }, 'a graphql-ws message failed');
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    }
  }
}

/** A `ws` socket that knows its Connection, so one listener function serves all sockets. */
class ConnectionSocket extends WebSocket {
  connection: Connection | null = null;
}

const connectionOf = (socket: WebSocket) => (socket as ConnectionSocket).connection;

// Listeners shared by every socket: `ws` calls them with the socket as `this`.
function onSocketMessage(this: WebSocket, data: RawData): void {
  void connectionOf(this)?.deliver(String(data));
}
function onSocketPong(this: WebSocket): void {
  const connection = connectionOf(this);
  if (connection) connection.alive = true;
}
function onSocketError(this: WebSocket, error: Error): void {
  log.error({ err: error }, 'a graphql-ws socket failed');
  this.close(CloseCode.InternalServerError, 'Internal server error');
}

export interface GraphqlWsServer<C extends Connection> {
  /** The open connections (admitted or not). */
  connections(): IterableIterator<C>;
  readonly size: number;
  /** Closes every connection (1001, going away) and stops serving. */
  dispose(): Promise<void>;
}

/**
 * Serves graphql-ws on `httpServer` at `path`. `connect` makes each socket's Connection. Every
 * `keepAliveMs` each connection is pinged, and one that did not answer the previous ping is
 * terminated; a connection that sent no connection_init within `connectionInitWaitMs` is closed with
 * 4408, as graphql-ws does (checked every `sweepMs`, so up to that much later).
 */
export function serveGraphqlWs<P extends Record<string, unknown>, C extends Connection>(
  settings: {
    httpServer: HttpServer;
    path: string;
    maxPayloadBytes: number;
    keepAliveMs: number;
    connectionInitWaitMs: number;
    /** How often the sweep looks at connections still waiting for connection_init. */
    sweepMs: number;
    connect: (socket: WebSocket) => C;
  },
  options: ServerOptions<P, C>,
): GraphqlWsServer<C> {
  /** Connections that have not sent connection_init yet: the only ones the init deadline concerns. */
  const awaitingInit = new Set<C>();
  const server = makeServer<P, C>({
    ...options,
    // The sweep below keeps the deadline, instead of a timer per connection.
    connectionInitWaitTimeout: 0,
    onConnect: (ctx) => {
      awaitingInit.delete(ctx.extra);
      return options.onConnect?.(ctx);
    },
  });
  const wsServer = new WebSocketServer({
    server: settings.httpServer,
    path: settings.path,
    maxPayload: settings.maxPayloadBytes,
    handleProtocols,
    WebSocket: ConnectionSocket,
  });
  const sockets = wsServer.clients as Set<ConnectionSocket>;
  // graphql-ws ends the connection's subscriptions and calls onClose.
  function onSocketClose(this: WebSocket, code: number, reason: Buffer): void {
    const connection = connectionOf(this) as C | null;
    if (!connection) return;
    awaitingInit.delete(connection);
    void connection.closed?.(code, String(reason));
  }
  wsServer.on('connection', (socket: ConnectionSocket) => {
    const connection = settings.connect(socket);
    socket.connection = connection;
    awaitingInit.add(connection);
    socket.on('error', onSocketError);
    socket.on('message', onSocketMessage);
    socket.on('pong', onSocketPong);
    socket.once('close', onSocketClose);
    connection.closed = server.opened(connection, connection);
  });
  wsServer.on('error', (error) => log.error({ err: error }, 'the graphql-ws server failed'));

  let sinceKeepAliveMs = 0;
  const sweep = setInterval(() => {
    const nowMs = Date.now();
    for (const connection of awaitingInit) {
      if (nowMs - connection.openedAtMs < settings.connectionInitWaitMs) continue;
      awaitingInit.delete(connection);
      connection.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }
    sinceKeepAliveMs += settings.sweepMs;
    if (sinceKeepAliveMs < settings.keepAliveMs) return;
    sinceKeepAliveMs = 0;
    for (const socket of sockets) {
      const connection = socket.connection;
      if (!connection || socket.readyState !== WebSocket.OPEN) continue;
      // No pong since the last round's ping: the peer is gone without closing.
      if (!connection.alive) {
        socket.terminate();
        continue;
      }
      connection.alive = false;
      socket.ping();
    }
  }, settings.sweepMs);
  // The sweep alone must not keep a gateway alive that is stopping.
  sweep.unref();

  return {
    *connections() {
      for (const socket of sockets) if (socket.connection) yield socket.connection as C;
    },
    get size() {
      return sockets.size;
    },
    async dispose() {
      clearInterval(sweep);
      for (const socket of sockets) socket.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
