/**
 * The nodemailer transport's mapping of a normalised message to a send request, on the cases
 * the end-to-end test does not reach: groups, quoted names, header forms, priorities, mistakes.
 */
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import { describe, expect, it } from 'vitest';
import { sendBody } from '../../../clients/node/src/send-body.ts';

const data = (fields: Record<string, unknown>) =>
  ({
    from: { name: '', address: 'a@acme.test' },
    to: [{ name: '', address: 'b@example.test' }],
    subject: 'S',
    text: 'T',
    headers: {},
    ...fields,
  }) as MailMessage['data'];

describe('sendBody', () => {
  it('writes mailboxes, quoting names with specials, and takes the members of a group', () => {
    const body = sendBody(
      data({
        from: { name: 'Doe, "J"', address: 'j@acme.test' },
        to: [
          {
            name: 'Team',
            group: [
              { name: 'Ann', address: 'ann@example.test' },
              { name: '', address: 'bob@example.test' },
            ],
          },
        ],
        replyTo: [{ name: 'Help', address: 'help@acme.test' }],
      }),
    );
    expect(body).toMatchObject({
      from: '"Doe, \\"J\\"" <j@acme.test>',
      to: ['Ann <ann@example.test>', 'bob@example.test'],
      reply_to: ['Help <help@acme.test>'],
    });
    expect(body).not.toHaveProperty('cc');
  });

  it('takes headers as an object or a list, one value each, with priority and threading headers', () => {
    const normalizedHeaders = { 'in-reply-to': '<a@acme.test>', references: '<a@acme.test> <b@acme.test>' };
    expect(
      sendBody(
        data({
          headers: [
            { key: 'X-One', value: '1' },
            { key: 'X-Two', value: { prepared: true, value: '2' } },
          ],
          priority: 'low',
          inReplyTo: 'a@acme.test',
          references: ['a@acme.test', 'b@acme.test'],
          normalizedHeaders,
        }),
      ).headers,
    ).toEqual({
      'X-One': '1',
      'X-Two': '2',
      'In-Reply-To': '<a@acme.test>',
      References: '<a@acme.test> <b@acme.test>',
      'X-Priority': '5 (Lowest)',
      'X-MSMail-Priority': 'Low',
      Importance: 'Low',
    });
    expect(sendBody(data({ headers: { 'X-Once': ['only'] } })).headers).toEqual({ 'X-Once': 'only' });
  });

  it('refuses what it cannot send as given', () => {
    expect(() => sendBody(data({ headers: { 'X-Twice': ['1', '2'] } }))).toThrow(/X-Twice is given 2 times/);
    expect(() =>
      sendBody(
        data({
          headers: [
            { key: 'X-A', value: '1' },
            { key: 'x-a', value: '2' },
          ],
        }),
      ),
    ).toThrow(/x-a is given twice/);
    expect(() => sendBody(data({ attachments: [{ raw: 'Content-Type: text/plain\r\n\r\nx' }] }))).toThrow(/attachments\[0\]: raw/);
    expect(() => sendBody(data({ from: undefined }))).toThrow(/from is required/);
  });

  it('passes mailroom’s own options through', () => {
    const body = sendBody({ ...data({}), tags: { kind: 'x' }, metadata: { n: 1 }, tracking: { clicks: true } });
    expect(body).toMatchObject({ tags: { kind: 'x' }, metadata: { n: 1 }, tracking: { clicks: true } });
  });
});
