/**
 * The SMTP session itself, through the real service on loopback: the extensions it offers are
 * the ones it honours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
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
