/**
 * The SES identities of sending domains with their SES client, in a module of their own that
 * sending-domains.ts imports when they are first used.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailIdentities } from '../adapters/ses/ses-identities.ts';
import { traced } from './telemetry.ts';

/** The identities on `client`, or on a new traced client. */
export function sesEmailIdentities(client?: SESv2Client): SesEmailIdentities {
  return new SesEmailIdentities(client ?? traced(new SESv2Client({})));
}
