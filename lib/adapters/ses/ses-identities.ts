/**
 * EmailIdentities on Amazon SES v2: a domain identity with Easy DKIM (RSA 2048) and a custom
 * MAIL FROM domain. SES signs the mail of such a domain itself.
 */
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PutEmailIdentityMailFromAttributesCommand,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import type { EmailIdentities, EmailIdentityState } from '../../ports/email-identities.ts';

/** {@link EmailIdentities} on an injected SESv2Client. */
export class SesEmailIdentities implements EmailIdentities {
  constructor(private readonly client: SESv2Client) {}

  async create(domain: string, mailFromDomain: string): Promise<EmailIdentityState> {
    let tokens: string[] | undefined;
    try {
      const created = await this.client.send(
        new CreateEmailIdentityCommand({ EmailIdentity: domain, DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' } }),
      );
      tokens = created.DkimAttributes?.Tokens;
    } catch (error) {
      // Registered before (a retried request): read what SES has.
      if (!(error instanceof AlreadyExistsException)) throw error;
    }
    await this.client.send(
      new PutEmailIdentityMailFromAttributesCommand({
        EmailIdentity: domain,
        MailFromDomain: mailFromDomain,
        BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
      }),
    );
    const state = await this.get(domain);
    if (!state) throw new Error(`SES identity ${domain} vanished while it was being created`);
    return tokens?.length && state.dkimTokens.length === 0 ? { ...state, dkimTokens: tokens } : state;
  }

  async get(domain: string): Promise<EmailIdentityState | undefined> {
    try {
      const identity = await this.client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
      return {
        dkimTokens: identity.DkimAttributes?.Tokens ?? [],
        verified: identity.VerifiedForSendingStatus === true,
        mailFromMx: await this.feedbackHost(),
      };
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
  }

  async delete(domain: string): Promise<void> {
    try {
      await this.client.send(new DeleteEmailIdentityCommand({ EmailIdentity: domain }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
  }

  /** SES's feedback host of the client's region: the MAIL FROM domain's MX points at it. */
  private async feedbackHost(): Promise<string> {
    const region = await this.client.config.region();
    return `feedback-smtp.${region}.amazonses.com`;
  }
}
