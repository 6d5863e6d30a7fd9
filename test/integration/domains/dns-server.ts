/**
 * An authoritative DNS server on loopback (UDP) for the tests: answers TXT, CNAME and MX
 * questions from a zone the test edits while it runs; NXDOMAIN for names it does not hold,
 * SERVFAIL for names marked broken.
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import dnsPacket, { type Answer } from 'dns-packet';

const NXDOMAIN = 3;
const SERVFAIL = 2;

/** The records at one name: TXT records as their strings (one record may be split into several). */
export interface ZoneEntry {
  txt?: string[][];
  cname?: string[];
  mx?: { priority: number; exchange: string }[];
}

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for MAILROOM_DNS_SERVERS. */
  address: string;
  zone: Map<string, ZoneEntry>;
  /** Names whose lookups fail with SERVFAIL. */
  broken: Set<string>;
  /** Questions answered so far. */
  queries: number;
  close(): Promise<void>;
}

function answersFor(name: string, type: string, entry: ZoneEntry): Answer[] {
  const base = { name, ttl: 1, class: 'IN' as const };
  switch (type) {
    case 'TXT':
      return (entry.txt ?? []).map((strings) => ({ ...base, type: 'TXT' as const, data: strings }));
    case 'CNAME':
      return (entry.cname ?? []).map((target) => ({ ...base, type: 'CNAME' as const, data: target }));
    case 'MX':
      return (entry.mx ?? []).map((mx) => ({ ...base, type: 'MX' as const, data: { preference: mx.priority, exchange: mx.exchange } }));
    default:
      return [];
  }
}

/** Starts the server on a free loopback port. */
export async function startTestDnsServer(): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const server: TestDnsServer = {
    address: '',
    zone: new Map(),
    broken: new Set(),
    queries: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    let query;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    server.queries++;
    const name = question.name.toLowerCase();
    const entry = server.zone.get(name);
    const rcode = server.broken.has(name) ? SERVFAIL : entry ? 0 : NXDOMAIN;
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | rcode,
      questions: [question],
      answers: entry && rcode === 0 ? answersFor(question.name, question.type, entry) : [],
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  server.address = `127.0.0.1:${socket.address().port}`;
  return server;
}
