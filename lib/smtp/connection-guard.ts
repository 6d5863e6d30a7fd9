/**
 * Limits on clients that have not logged in. smtp-server's idle timeout restarts with every
 * byte, so a client that trickles one byte at a time, without ever finishing a line, would keep
 * its connection for as long as it likes: an absolute deadline, counted from the moment the TCP
 * connection is accepted (before any TLS handshake), closes a connection that has not
 * authenticated by then. And one address may hold only so many connections at once, both
 * listeners together.
 */
import type { Socket } from 'node:net';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';
import type { Log } from '../ports/logger.ts';
import { smtpReply } from './replies.ts';

/** The limits; both apply to every connection. */
export interface ConnectionLimits {
  /** Time from accepting a connection to a successful AUTH; a connection not logged in by then is closed with 421. */
  authDeadlineMs: number;
  /** Connections one client address may hold open at once, both listeners together; the next is refused with 421. */
  maxConnectionsPerAddress: number;
}

/** A connection as accepted, before smtp-server's session for it exists. */
interface Accepted {
  socket: Socket;
  address: string;
  /** Whether its address already held the most connections allowed when it arrived. */
  overCap: boolean;
}

/** The client address as smtp-server reports it in a session (an IPv4 client of a dual-stack listener without `::ffff:`). */
function clientAddress(socket: Socket): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/i, '').toLowerCase();
}

const key = (address: string, port: number | undefined) => `${address}|${port ?? 0}`;

/** Counts connections per address across listeners and enforces the limits on each listener it watches. */
export class ConnectionGuard {
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly log: Log,
  ) {}

  /**
   * The guard of one listener: pass `onConnect` in its options, then `watch` the server before
   * it listens. `onConnect` refuses a connection that arrived over its address's cap.
   */
  listener(): { onConnect: NonNullable<SMTPServerOptions['onConnect']>; watch(server: SMTPServer): void } {
    const accepted = new Map<string, Accepted>();
    return {
      onConnect: (session, callback) => {
        const entry = accepted.get(key(session.remoteAddress, session.remotePort));
        if (!entry?.overCap) return callback();
        this.log.warn('smtp connection refused: too many from one address', { address: entry.address });
        const max = this.limits.maxConnectionsPerAddress;
        callback(smtpReply(421, '4.7.0', `Too many connections from your address (at most ${max}), try again later`));
      },
      watch: (server) => {
        server.server.on('connection', (socket: Socket) => this.accept(server, accepted, socket));
      },
    };
  }

  private accept(server: SMTPServer, accepted: Map<string, Accepted>, socket: Socket): void {
    const address = clientAddress(socket);
    const open = (this.perAddress.get(address) ?? 0) + 1;
    this.perAddress.set(address, open);
    const entry: Accepted = { socket, address, overCap: open > this.limits.maxConnectionsPerAddress };
    const id = key(address, socket.remotePort);
    accepted.set(id, entry);
    const timer = setTimeout(() => this.expire(server, entry), this.limits.authDeadlineMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      accepted.delete(id);
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
  }

  /** At the deadline: a connection that has not logged in is told why and closed; one still in its TLS handshake is cut. */
  private expire(server: SMTPServer, entry: Accepted): void {
    const port = entry.socket.remotePort;
    const connection = [...server.connections].find((c) => c.remotePort === port && c.remoteAddress === entry.address);
    if (connection?.session.user) return;
    this.log.info('smtp connection closed: not logged in by the deadline', { address: entry.address });
    if (!connection) {
      // Still in its TLS handshake: the TLS socket on top goes, which takes the TCP socket with
      // it (destroying the TCP socket under a TLS handshake crashes Node 20).
      (server._pendingSockets.get(entry.socket) ?? entry.socket).destroy();
      return;
    }
    const seconds = Number((this.limits.authDeadlineMs / 1000).toFixed(1));
    // 421 closes the connection; the text carries its own enhanced status code.
    connection.send(421, `4.4.2 Not logged in within ${seconds} s, closing connection`, false);
  }
}
