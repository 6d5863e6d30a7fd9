/**
 * A relay decorator that DKIM-signs mail with the key mailroom made for the From domain (SMTP
 * relays; SES signs with Easy DKIM itself). The message is composed once here, signed, and the
 * inner relay sends exactly those bytes.
 */
import { domainOf, parseMailbox } from '../../domain/address.ts';
import type { Log } from '../../ports/logger.ts';
import type { MailRelay, OutgoingMail, RelayResult } from '../../ports/mail-relay.ts';
import { composeMime } from './compose.ts';
import type { DkimKeySource } from './dkim-keys.ts';
import { signDkim } from './dkim-sign.ts';

/** {@link MailRelay} that signs, then hands the signed bytes to `inner`. */
export class DkimSigningRelay implements MailRelay {
  constructor(
    private readonly inner: MailRelay,
    private readonly keys: DkimKeySource,
    private readonly log?: Log,
  ) {}

  /**
   * Mail from a domain without a key of mailroom's goes out unsigned. When the key cannot be
   * read or used, every recipient is deferred (an answer without a code) rather than sent
   * unsigned, which receivers enforcing DMARC would refuse.
   */
  async send(mail: OutgoingMail): Promise<RelayResult> {
    if (mail.envelope.to.length === 0) return this.inner.send(mail);
    const from = parseMailbox(mail.content.from)?.address ?? mail.envelope.from;
    const domain = domainOf(from).toLowerCase();
    let key;
    try {
      key = await this.keys.find(mail.tenant, domain);
    } catch (error) {
      this.log?.error('DKIM key unavailable', { messageId: mail.id, tenant: mail.tenant, domain, error: (error as Error).name });
      return deferAll(mail, 'DKIM key unavailable; delivery will be retried');
    }
    if (!key) return this.inner.send(mail);
    const raw = await composeMime(mail);
    let signed: Buffer;
    try {
      signed = await signDkim(raw, key);
    } catch (error) {
      this.log?.error('DKIM signing failed', { messageId: mail.id, tenant: mail.tenant, domain, error: (error as Error).message });
      return deferAll(mail, 'DKIM signing failed; delivery will be retried');
    }
    return this.inner.send({ ...mail, raw: signed });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function deferAll(mail: OutgoingMail, response: string): RelayResult {
  return { relay: 'smtp', recipients: mail.envelope.to.map((email) => ({ email, response })) };
}
