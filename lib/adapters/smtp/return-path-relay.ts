/**
 * A relay decorator that gives mail relayed through SMTP mailroom's return path: each recipient
 * gets the message with an envelope sender of its own, `bounce+<token>@<bounce domain>` (VERP),
 * so that a bounce or a complaint that comes back later says which message and recipient it is
 * about. The message is composed (or signed) once; the same bytes go to every recipient.
 */
import { domainOf, parseMailbox } from '../../domain/address.ts';
import { bounceDomain, returnPathAddress, type ReturnPathSigner } from '../../domain/return-path.ts';
import type { MailRelay, OutgoingMail, RecipientResult, RelayResult } from '../../ports/mail-relay.ts';
import { composeMime } from '../mime/compose.ts';

/** What the return path is made of. */
export interface ReturnPathOptions {
  signer: ReturnPathSigner;
  /** The one bounce domain of every sending domain; default `bounces.<From domain>`. */
  bounceDomain?: string;
}

/** {@link MailRelay} sending each recipient its own copy with a return-path envelope sender, through `inner`. */
export class ReturnPathRelay implements MailRelay {
  constructor(
    private readonly inner: MailRelay,
    private readonly options: ReturnPathOptions,
  ) {}

  /** The envelope sender of `recipient`'s copy; undefined when the message id cannot be put in a token. */
  envelopeFrom(mail: Pick<OutgoingMail, 'id' | 'content' | 'envelope'>, recipient: string): string | undefined {
    const token = this.options.signer.sign(mail.id, recipient);
    if (!token) return undefined;
    const from = parseMailbox(mail.content.from)?.address ?? mail.envelope.from;
    return returnPathAddress(token, bounceDomain(domainOf(from), this.options.bounceDomain));
  }

  async send(mail: OutgoingMail): Promise<RelayResult> {
    const recipients = mail.envelope.to;
    if (recipients.length === 0 || !this.envelopeFrom(mail, recipients[0]!)) return this.inner.send(mail);
    const raw = mail.raw ?? (await composeMime(mail));
    const results = await Promise.all(
      recipients.map((to) => this.inner.send({ ...mail, raw, envelope: { from: this.envelopeFrom(mail, to)!, to: [to] } })),
    );
    const answers: RecipientResult[] = results.flatMap((r) => r.recipients);
    return { relay: results[0]?.relay ?? 'smtp', recipients: answers };
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
