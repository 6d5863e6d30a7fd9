/**
 * Local mode's own pages (the mailbox, the notifications feed) and its SES events route answer
 * only requests addressed to this machine: a web page that rebinds its own host name to
 * 127.0.0.1 (DNS rebinding) sends its own name as `Host` and is refused. The SES events route
 * takes JSON only, which a web page cannot post across origins without the server's consent.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { startPipeline } from '../support/pipeline.ts';
import { sesFixture } from '../support/ses-events.ts';

let runtime: LocalRuntime;
let port: number;

beforeAll(async () => {
  runtime = await startPipeline({ pollers: false });
  port = Number(new URL(runtime.apiUrl).port);
});
afterAll(() => runtime?.stop());

/** A request with the `Host` header a browser would send; node:http sends it as given. */
function send(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method,
      path,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.end(body);
  });
}

/** An SES record about no message of mailroom's: the route accepts it, and the handler drops it. */
const record = JSON.stringify(sesFixture('delivery'));

describe('local pages and /local/ses-events', () => {
  it.each(['/mailbox', '/mailbox/messages.json', '/notifications'])('refuses GET %s for a Host that is not this machine', async (path) => {
    for (const host of ['evil.example:3000', 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      expect((await send('GET', path, { host })).status).toBe(403);
    }
  });

  it('refuses a posted SES event for a Host that is not this machine', async () => {
    const answer = await send('POST', '/local/ses-events', { host: 'evil.example:3000', 'content-type': 'application/json' }, record);
    expect(answer.status).toBe(403);
  });

  it('answers for this machine by name or address, whatever the port (a forwarded one included)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost:8080', `[::1]:${port}`, 'mailroom.localhost']) {
      expect((await send('GET', '/mailbox/messages.json', { host })).status).toBe(200);
      expect((await send('GET', '/notifications', { host })).status).toBe(200);
    }
    const posted = await send(
      'POST',
      '/local/ses-events',
      { host: `127.0.0.1:${port}`, 'content-type': 'application/json; charset=utf-8' },
      record,
    );
    expect(posted.status).toBe(202);
  });

  it('takes SES events as application/json only', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send('POST', '/local/ses-events', { host: `127.0.0.1:${port}`, 'content-type': type }, record);
      expect(answer.status).toBe(415);
    }
    expect((await send('POST', '/local/ses-events', { host: `127.0.0.1:${port}` }, record)).status).toBe(415);
  });
});
