/**
 * Mail that came back to mailroom's return path: a bounce, a delay, a complaint or an automatic
 * reply about a message mailroom relayed through SMTP. The return-path token (in the address it
 * came to, or in the Return-Path of the original a complaint quotes) names the message and the
 * recipient; a forged or altered token is ignored. What it reports is recorded exactly as SES's
 * reports are (record-reported-events.ts), so it counts once, suppresses and notifies the same way.
 */
import { headerValue, type InboundMail } from '../domain/inbound-mail.ts';
import { originalReturnPaths, readInboundReport } from '../domain/inbound-report.ts';
import { returnPathToken, type ReturnPathSigner, type ReturnPathToken } from '../domain/return-path.ts';
import { reportKey, returnedEventDrafts } from '../domain/returned-mail.ts';
import { recordReportedEvents, type ReportDeps, type ReportResult } from './record-reported-events.ts';

/** What recording returned mail needs. */
export interface ReturnedMailDeps extends ReportDeps {
  signer: ReturnPathSigner;
}

/** A message as it arrived: its envelope recipients, its bytes, and what the MIME parser read. */
export interface ArrivedMail {
  recipients: string[];
  raw: Buffer;
  mail: InboundMail;
}

/** The first genuine token among the envelope recipients, else in the quoted original's Return-Path. */
export function findReturnPathToken(
  signer: ReturnPathSigner,
  arrived: Pick<ArrivedMail, 'recipients' | 'raw'>,
): ReturnPathToken | undefined {
  const candidates = [...arrived.recipients, ...originalReturnPaths(arrived.raw.toString('latin1'))];
  for (const address of candidates) {
    const token = returnPathToken(address);
    const verified = token ? signer.verify(token) : undefined;
    if (verified) return verified;
  }
  return undefined;
}

/**
 * Records what a returned message reports.
 * @throws OutcomeNotReadyError when the recipient's delivery attempt is still being recorded (the
 * caller hands the message over again later); store errors propagate for a retry.
 */
export async function recordReturnedMail(deps: ReturnedMailDeps, arrived: ArrivedMail): Promise<ReportResult> {
  const token = findReturnPathToken(deps.signer, arrived);
  if (!token) return ignored(deps, 'returned mail without a genuine return-path token dropped', {});
  const report = readInboundReport(arrived.mail);
  if (report.kind === 'auto_reply' || report.kind === 'other') {
    return ignored(deps, `returned mail is no report (${report.kind === 'auto_reply' ? 'an automatic reply' : 'unrecognised'})`, {
      messageId: token.messageId,
    });
  }
  const stored = await deps.messages.get(token.messageId);
  if (!stored) return ignored(deps, 'returned mail for an unknown message dropped', { messageId: token.messageId });
  const recipient = stored.recipients.find((r) => deps.signer.recipientTag(r.email) === token.recipientTag);
  if (!recipient) return ignored(deps, 'returned mail for a recipient the message does not have dropped', { messageId: token.messageId });

  // When it came back, not the report's Date (a sender's clock, and the day it counts on).
  const at = deps.clock.now().toISOString();
  const key = reportKey(arrived.mail.messageId ?? headerValue(arrived.mail, 'message-id'), arrived.raw);
  const drafts = returnedEventDrafts(report, recipient.email, key, at);
  if (drafts.length === 0) return ignored(deps, 'returned mail reports nothing to record', { messageId: token.messageId });
  const result = await recordReportedEvents(deps, stored, drafts, { relay: 'smtp' });
  if (result.kind === 'recorded') {
    deps.log.info('returned mail recorded', { messageId: token.messageId, report: report.kind, type: drafts[0]!.type });
  }
  return result;
}

function ignored(deps: ReturnedMailDeps, message: string, extra: Record<string, unknown>): ReportResult {
  deps.log.info(message, extra);
  return { kind: 'ignored', reason: message };
}
