/**
 * The CDK app: reads the `mailroom:*` context, builds the mailroom stack and checks it with
 * cdk-nag's AWS Solutions rules (violations fail synth).
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ContextError, readMailroomContext, type MailroomContext } from './context.ts';
import { MailroomStack } from './mailroom-stack.ts';

const app = new App();

let context: MailroomContext;
try {
  context = readMailroomContext(app.node);
} catch (error) {
  // A bad setting is the user's to fix: say which, without a stack trace.
  if (!(error instanceof ContextError)) throw error;
  console.error(`mailroom: ${error.message}`);
  process.exit(1);
}

new MailroomStack(app, 'Mailroom', {
  relay: context.relay,
  deliverMaxConcurrency: context.deliverMaxConcurrency,
  apiRateLimit: context.apiRateLimit,
  apiThrottle: context.apiThrottle,
  publicLinksThrottle: context.publicLinksThrottle,
  trackReservedConcurrency: context.trackReservedConcurrency,
  ...(context.relayMaxRate !== undefined && { relayMaxRate: context.relayMaxRate }),
  ...(context.publicUrl && { publicUrl: context.publicUrl }),
  ...(context.unsubscribeMailto && { unsubscribeMailto: context.unsubscribeMailto }),
  operatorTenant: context.operatorTenant,
  ...(context.verifiedDomains && { verifiedDomains: context.verifiedDomains }),
  ...(context.dedicatedIpPools && { dedicatedIpPools: context.dedicatedIpPools }),
  ...(context.smtpService && { smtpService: context.smtpService }),
  alarmThresholds: context.alarmThresholds,
  ...(context.alarmEmail && { alarmEmail: context.alarmEmail }),
  logLevel: context.logLevel,
  deletionProtection: context.deletionProtection,
  inboundReceiving: context.inboundReceiving,
  ...(context.customDomain && { customDomain: context.customDomain }),
  ...(context.webhookPorts && { webhookPorts: context.webhookPorts }),
  ...(context.webhookMaxEndpoints !== undefined && { webhookMaxEndpoints: context.webhookMaxEndpoints }),
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
