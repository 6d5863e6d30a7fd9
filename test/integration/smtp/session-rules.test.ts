/**
 * The SMTP session itself, through the real service on loopback: the extensions it offers are
 * the ones it honours, and a client cannot hold connections open without logging in.
 */
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedTls } from '../../../lib/local/smtp-tls.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { startSmtpService, type SmtpService, type SmtpServiceOptions } from '../../../lib/smtp/server.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { startPipeline } from '../../support/pipeline.ts';
import { devSmtpAuth, plainAuth, rawSmtp, smtpClient, type SmtpAuth } from '../../support/smtp-client.ts';

let runtime: LocalRuntime;
let auth: SmtpAuth;

beforeAll(async () => {
  runtime = await startPipeline({ smtp: { port: 0, securePort: 0 }, log: memoryLog() });
  auth = await devSmtpAuth(runtime);
});

afterAll(async () => {
  await runtime?.stop();
});

/** The extension keywords of an EHLO reply. */
const keywords = (reply: string) => [...reply.matchAll(/^250[- ](\S+)/gm)].slice(1).map((m) => m[1]!.toUpperCase());

describe('the extensions offered', () => {
  it('leave out SMTPUTF8 (and REQUIRETLS, DSN), on either listener, before and after TLS and AUTH', async () => {
    const plain = rawSmtp(runtime.smtp!.port);
    const secure = rawSmtp(runtime.smtp!.securePort, { tls: true });
    try {
      await plain.waitFor(/^220 /m);
      const offered = [await plain.command('EHLO client.example', /^250 /m)];
      await plain.starttls();
      offered.push(await plain.command('EHLO client.example', /^250 /m));
      await plain.command(`AUTH PLAIN ${plainAuth(auth)}`, /^235 /m);
      offered.push(await plain.command('EHLO client.example', /^250 /m));
      await secure.waitFor(/^220 /m);
      offered.push(await secure.command('EHLO client.example', /^250 /m));
      for (const reply of offered) {
        expect(keywords(reply)).toContain('8BITMIME');
        expect(keywords(reply)).not.toContain('SMTPUTF8');
        expect(keywords(reply)).not.toContain('REQUIRETLS');
        expect(keywords(reply)).not.toContain('DSN');
      }
    } finally {
      plain.destroy();
      secure.destroy();
    }
  });

  it('refuse MAIL FROM with SMTPUTF8 or REQUIRETLS (555 5.5.4) and a sender with a non-ASCII local part (553 5.1.7)', async () => {
    const smtp = rawSmtp(runtime.smtp!.securePort, { tls: true });
    try {
      await smtp.waitFor(/^220 /m);
      await smtp.command('EHLO client.example', /^250 /m);
      await smtp.command(`AUTH PLAIN ${plainAuth(auth)}`, /^235 /m);
      expect(await smtp.command('MAIL FROM:<app@example.com> SMTPUTF8', /^\d{3} /m)).toBe(
        '555 5.5.4 SMTPUTF8 is not offered: addresses must be ASCII before the @\r\n',
      );
      expect(await smtp.command('MAIL FROM:<app@example.com> REQUIRETLS', /^\d{3} /m)).toBe(
        '555 5.5.4 REQUIRETLS is not offered: mailroom cannot promise TLS for every onward hop\r\n',
      );
      expect(await smtp.command('MAIL FROM:<jöe@example.com>', /^\d{3} /m)).toMatch(/^553 5\.1\.7 /);
      // An ASCII sender is still taken on the same session.
      expect(await smtp.command('MAIL FROM:<app@example.com>', /^\d{3} /m)).toMatch(/^250 /);
    } finally {
      smtp.destroy();
    }
  });

  it('still take an internationalised domain (in its ASCII form, which needs no SMTPUTF8)', async () => {
    const info = await smtpClient(runtime.smtp!.port, auth).sendMail({
      from: 'app@example.com',
      to: 'ann@bücher.example',
      subject: 'IDN',
      text: 'Hi',
    });
    expect(info.accepted).toEqual(['ann@xn--bcher-kva.example']);
  });
});

/** A service on the runtime's ports (deps) with its own limits; stopped after `run`. */
async function withService(limits: Partial<SmtpServiceOptions>, run: (service: SmtpService) => Promise<void>): Promise<void> {
  const service = await startSmtpService(runtime.smtp!.deps, {
    port: 0,
    securePort: 0,
    host: '127.0.0.1',
    tls: await selfSignedTls(),
    // Far beyond the deadline: only the deadline can close a trickling client here.
    socketTimeoutMs: 60_000,
    closeTimeoutMs: 1_000,
    ...limits,
  });
  try {
    await run(service);
  } finally {
    await service.stop();
  }
}

/** Writes `text` one byte every `everyMs` until stopped (the trickle that keeps an idle timeout from firing). */
function trickle(write: (byte: string) => void, text: string, everyMs: number): () => void {
  let at = 0;
  const timer = setInterval(() => write(text[at++ % text.length]!), everyMs);
  return () => clearInterval(timer);
}

describe('a client that does not log in', () => {
  const DEADLINE_MS = 1_500;

  it('is closed with 421 4.4.2 at the deadline however it trickles bytes, while a logged-in session goes on', async () => {
    await withService({ authDeadlineMs: DEADLINE_MS }, async (service) => {
      const loggedIn = rawSmtp(service.securePort, { tls: true });
      const plain = rawSmtp(service.port);
      const secure = rawSmtp(service.securePort, { tls: true });
      const started = Date.now();
      const stops: (() => void)[] = [];
      try {
        await loggedIn.waitFor(/^220 /m);
        await loggedIn.command('EHLO client.example', /^250 /m);
        await loggedIn.command(`AUTH PLAIN ${plainAuth(auth)}`, /^235 /m);
        // One dribbles a command that never ends; the other greets, then dribbles.
        await plain.waitFor(/^220 /m);
        stops.push(trickle(plain.write, 'EHLO slow.example', 200));
        await secure.waitFor(/^220 /m);
        await secure.command('EHLO client.example', /^250 /m);
        stops.push(trickle(secure.write, 'NOOP', 200));
        for (const smtp of [plain, secure]) {
          await smtp.waitFor(/^421 4\.4\.2 /m, DEADLINE_MS + 5_000);
          await smtp.closed;
        }
        expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 200);
        expect(plain.received()).toMatch(/^421 4\.4\.2 Not logged in within 1\.5 s, closing connection\r\n/m);
        // The logged-in session, opened before them, is past the deadline too and still works.
        expect(await loggedIn.command('MAIL FROM:<app@example.com>', /^\d{3} /m)).toMatch(/^250 /);
      } finally {
        for (const stop of stops) stop();
        for (const smtp of [loggedIn, plain, secure]) smtp.destroy();
      }
    });
  });

  it('is closed at the deadline while it trickles a TLS handshake (implicit TLS)', async () => {
    await withService({ authDeadlineMs: DEADLINE_MS }, async (service) => {
      const socket = netConnect({ host: '127.0.0.1', port: service.securePort });
      socket.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // The first bytes of a TLS ClientHello record, one at a time.
      const stop = trickle((byte) => socket.write(Buffer.from(byte, 'latin1')), '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 200);
      const started = Date.now();
      try {
        await Promise.race([
          closed,
          new Promise((_, reject) => setTimeout(() => reject(new Error('still open after the deadline')), DEADLINE_MS + 5_000)),
        ]);
        expect(Date.now() - started).toBeGreaterThanOrEqual(DEADLINE_MS - 200);
      } finally {
        stop();
        socket.destroy();
      }
    });
  });
});

describe('connections from one address', () => {
  it('are capped: the next is refused with 421 4.7.0, other addresses still connect and send, and a freed slot is reused', async () => {
    await withService({ maxConnectionsPerAddress: 3 }, async (service) => {
      const open = [rawSmtp(service.port), rawSmtp(service.securePort, { tls: true }), rawSmtp(service.port)];
      const extra: ReturnType<typeof rawSmtp>[] = [];
      try {
        for (const smtp of open) await smtp.waitFor(/^220 /m);
        // Both listeners count together.
        const refused = rawSmtp(service.securePort, { tls: true });
        extra.push(refused);
        await refused.waitFor(/^421 4\.7\.0 /m);
        expect(refused.received()).toMatch(/^421 4\.7\.0 Too many connections from your address \(at most 3\), try again later\r\n/m);
        await refused.closed;

        const info = await smtpClient(service.port, auth, { localAddress: '127.0.0.2' }).sendMail({
          from: 'app@example.com',
          to: 'capped@example.org',
          subject: 'Other address',
          text: 'Hi',
        });
        expect(info.accepted).toEqual(['capped@example.org']);

        open.pop()!.destroy();
        await expect
          .poll(
            async () => {
              const probe = rawSmtp(service.port);
              extra.push(probe);
              return (await probe.waitFor(/^(220|421) /m)).slice(0, 3);
            },
            { timeout: 5_000, interval: 100 },
          )
          .toBe('220');
      } finally {
        for (const smtp of [...open, ...extra]) smtp.destroy();
      }
    });
  });
});
