/** The SES relay: SES v2 `SendEmail` with the raw MIME that the SMTP relay would send. */
import { SendEmailCommand, type SESv2Client, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import type { MailRelay, OutgoingMail, RelayResult } from '../../ports/mail-relay.ts';
import { composeMime } from '../mime/compose.ts';
import { sesAccepted, sesFailure } from './ses-answers.ts';
import { sesEmailTags } from './ses-tags.ts';

/** Options of {@link SesRelay}. */
export interface SesRelayOptions {
  /** Configuration set whose event destinations report deliveries, bounces and complaints. */
  configurationSetName?: string;
}

/**
 * {@link MailRelay} over Amazon SES v2. Recipients come from the envelope (so Bcc works
 * with raw content); SES answers for the message as a whole, so every recipient gets the
 * same answer: 250 with the SES message id, 554 5.7.1 for a refusal, or no code (deferred)
 * for throttling and transient failures. Throws only PoisonMessageError from composition.
 */
export class SesRelay implements MailRelay {
  readonly #client: SESv2Client;
  readonly #configurationSetName: string | undefined;

  /** @param client an SESv2Client built once per module (tests point it at the emulator). */
  constructor(client: SESv2Client, options: SesRelayOptions = {}) {
    this.#client = client;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(mail: OutgoingMail): Promise<RelayResult> {
    const recipients = mail.envelope.to;
    if (recipients.length === 0) return { relay: 'ses', recipients: [] };
    const input: SendEmailCommandInput = {
      FromEmailAddress: mail.envelope.from,
      Destination: { ToAddresses: recipients },
      Content: { Raw: { Data: await composeMime(mail) } },
      EmailTags: sesEmailTags(mail.tags, mail.id, mail.tenant),
      // mailroom tracks opens and clicks itself, and only when asked: SES must neither rewrite
      // links nor add a pixel, whatever the configuration set or the account turns on.
      ConfigurationOverrides: { Tracking: { OpenTrackingEnabled: 'DISABLED', ClickTrackingEnabled: 'DISABLED' } },
    };
    if (this.#configurationSetName) input.ConfigurationSetName = this.#configurationSetName;
    let answer;
    try {
      const output = await this.#client.send(new SendEmailCommand(input));
      answer = sesAccepted(output.MessageId);
    } catch (error) {
      answer = sesFailure(error);
    }
    return { relay: 'ses', recipients: recipients.map((email) => ({ email, ...answer })) };
  }

  /** Nothing to release: the injected client belongs to the caller. */
  async close(): Promise<void> {}
}
