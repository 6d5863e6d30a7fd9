/**
 * The inbound SMTP listener of local mode: where bounces, delay notices and complaints about mail
 * relayed with mailroom's return path arrive, and mail for tenants' inbound routes (in AWS, SES
 * receiving does this job). No AUTH, no TLS, loopback by default; only recipients the inbound
 * service takes are accepted, anything else is refused with 550 at RCPT TO. Each message goes to
 * the same use case as in AWS.
 */
import { SMTPServer } from 'smtp-server';
import { OutcomeNotReadyError } from '../domain/errors.ts';
import { inboundTarget, receiveInbound, type InboundDeps } from '../use-cases/receive-inbound.ts';
import { smtpReply } from './replies.ts';

/** Largest inbound message (bytes): reports and replies are small. */
export const MAX_INBOUND_MESSAGE_BYTES = 10 * 1024 * 1024;
/** Recipients one inbound message may have. */
const MAX_INBOUND_RECIPIENTS = 50;

/** A running inbound listener. */
export interface InboundSmtp {
  port: number;
  stop(): Promise<void>;
}

/** Starts the listener on `host` (127.0.0.1 by default) and `port` (0 picks a free one). */
export async function startInboundSmtp(
  deps: InboundDeps,
  options: { port: number; host?: string; hostname?: string },
): Promise<InboundSmtp> {
  const server = new SMTPServer({
    name: options.hostname ?? 'localhost',
    banner: 'mailroom inbound',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_INBOUND_MESSAGE_BYTES,
    logger: false,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= MAX_INBOUND_RECIPIENTS) {
        callback(smtpReply(452, '4.5.3', `Too many recipients: at most ${MAX_INBOUND_RECIPIENTS} per message`));
        return;
      }
      inboundTarget(deps, address.address).then(
        (target) => callback(target.kind === 'refused' ? smtpReply(550, '5.1.1', 'No such recipient here') : undefined),
        (error: unknown) => {
          deps.log.warn('inbound recipient check failed', { error: String(error) });
          callback(smtpReply(451, '4.3.0', 'Temporary problem, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpReply(552, '5.3.4', `Message exceeds the maximum size of ${MAX_INBOUND_MESSAGE_BYTES} bytes`));
          return;
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const context = {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          client: { ip: session.remoteAddress, helo: session.hostNameAppearsAs },
        };
        receiveInbound(deps, recipients, Buffer.concat(chunks), context).then(
          () => callback(),
          (error: unknown) => {
            // The sending server keeps the message and tries again later, as a queue would.
            if (!(error instanceof OutcomeNotReadyError)) deps.log.warn('inbound mail not recorded', { error: String(error) });
            callback(smtpReply(451, '4.3.0', 'Message not recorded because of a temporary problem, try again later'));
          },
        );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.server.address() as { port: number }).port);
    });
  });
  server.on('error', (error: Error) => deps.log.warn('inbound smtp error', { error: error.message }));
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
