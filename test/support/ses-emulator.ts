/** aws-ses-v2-local on loopback, for tests of the SES relay. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type StartSesEmulator = (config: { host: string; port: number }) => Promise<Server>;

export interface SesEmulator {
  endpoint: string;
  /** What the emulator received (`GET /store`). */
  stored(): Promise<
    {
      messageId: string;
      from: string;
      destination: { to: string[]; cc: string[]; bcc: string[] };
      subject: string;
      body: { text?: string; html?: string };
    }[]
  >;
  stop(): Promise<void>;
}

// aws-ses-v2-local is CommonJS: under vitest `default` is the start function, under plain
// Node ESM it is module.exports, whose own `default` is the function.
export async function startSesEmulator(): Promise<SesEmulator> {
  const loaded: unknown = (await import('aws-ses-v2-local')).default;
  const start = (typeof loaded === 'function' ? loaded : (loaded as { default: unknown }).default) as StartSesEmulator;
  const server = await start({ port: 0, host: '127.0.0.1' });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    async stored() {
      const response = await fetch(`${endpoint}/store`);
      return ((await response.json()) as { emails: Awaited<ReturnType<SesEmulator['stored']>> }).emails;
    },
    stop() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
