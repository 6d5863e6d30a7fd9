/** Checks a tenant's SMTP relay URL given to the admin API or CLI, without ever echoing its password. */
import { ValidationError } from '../../domain/errors.ts';
import { redactSmtpUrl, smtpPoolOptions, SmtpUrlError } from './smtp-url.ts';

/**
 * The URL with its password masked, for answers and records.
 * @throws ValidationError (field `relay.url`) when it is not a usable smtp:// or smtps:// URL.
 */
export function checkRelayUrl(url: string): string {
  try {
    smtpPoolOptions(url);
  } catch (error) {
    // SmtpUrlError messages mask the password already; anything else is not echoed.
    const message = error instanceof SmtpUrlError ? error.message : 'is not a usable SMTP URL';
    throw new ValidationError('The relay is invalid.', [{ field: 'relay.url', message }]);
  }
  return redactSmtpUrl(url);
}
