/**
 * What a report that came back to the return path records, as the same events SES's reports
 * make: a failed DSN or plain bounce is `bounced` (hard or soft, categorised and explained as a
 * relay's refusal is), a delayed one `deferred` (mailroom does not retry: the reporting server
 * does), an ARF complaint `complained`. Automatic replies and anything else record nothing.
 */
import { createHash } from 'node:crypto';
import { answerFromDiagnostic, classifyDsnFailure } from './bounce-classification.ts';
import type { DsnRecipient, InboundReport } from './inbound-report.ts';
import type { SesEventDraft } from './ses-events.ts';

/**
 * The key that tells one report apart from others: the same report delivered twice (a retried
 * SMTP transaction, a second MX) has the same key, so it is recorded once.
 */
export function reportKey(messageId: string | undefined, raw: Buffer): string {
  const hash = createHash('sha256');
  hash.update(messageId?.trim() ? `id:${messageId.trim().toLowerCase()}` : raw);
  return `rp-${hash.digest('hex').slice(0, 24)}`;
}

/** The block about `recipient`, else the first one (a return-path copy went to one recipient only). */
function blockFor(recipients: DsnRecipient[], recipient: string): DsnRecipient | undefined {
  const wanted = recipient.toLowerCase();
  return (
    recipients.find((r) => r.finalRecipient?.toLowerCase() === wanted || r.originalRecipient?.toLowerCase() === wanted) ??
    recipients.find((r) => r.action === 'failed') ??
    recipients[0]
  );
}

/** The drafts a report records for `recipient` (the address the return-path token names). */
export function returnedEventDrafts(report: InboundReport, recipient: string, key: string, at: string): SesEventDraft[] {
  const base = { email: recipient, at, key };
  switch (report.kind) {
    case 'bounce': {
      const block = blockFor(report.recipients, recipient);
      if (!block) return [];
      const classified = classifyDsnFailure(block.status, block.diagnostic);
      const reply = answerFromDiagnostic(classified.diagnostic);
      const answer = { ...reply, ...(block.status && { enhanced: block.status }) };
      const failure = { category: classified.category, explanation: classified.explanation, diagnostic: classified.diagnostic };
      const source = report.format === 'dsn' ? 'delivery status notification' : 'bounce message';
      if (block.action === 'delayed') {
        return [{ ...base, type: 'deferred', detail: { relay: 'smtp', answer, reason: `delayed (${source})`, ...failure } }];
      }
      return [
        {
          ...base,
          type: 'bounced',
          detail: { relay: 'smtp', answer, bounceType: classified.type, reason: `returned (${source})`, ...failure },
        },
      ];
    }
    case 'complaint':
      // `not-spam` takes a spam report back: nothing to record.
      if (report.feedbackType === 'not-spam') return [];
      return [
        {
          ...base,
          type: 'complained',
          detail: { relay: 'smtp', complaintFeedbackType: report.feedbackType, ...(report.userAgent && { userAgent: report.userAgent }) },
        },
      ];
    case 'auto_reply':
    case 'other':
      return [];
  }
}
