/**
 * Builds the mailroom stack for template assertions: bundling skipped, the CDK's built-in
 * CloudFormation schema validation off (it costs seconds per synth; `cdk synth` still runs
 * it), and synth output under the project's `.tmp/` instead of /tmp.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AlarmThresholds,
  CustomDomain,
  DedicatedIpPoolProps,
  LogLevel,
  RelayProps,
  SmtpServiceSettings,
  Throttle,
} from '../../cdk/context.ts';
import { MailroomStack } from '../../cdk/mailroom-stack.ts';

const TMP = fileURLToPath(new URL('../../.tmp/', import.meta.url));
mkdirSync(TMP, { recursive: true });
// Anything the CDK stages outside the app's outdir goes under the project too.
process.env.TMPDIR = TMP;

const outdirs: string[] = [];

/** Options of {@link buildStack}. */
export interface StackOptions {
  relay?: RelayProps;
  deliverMaxConcurrency?: number;
  publicUrl?: string;
  unsubscribeMailto?: string;
  operatorTenant?: string;
  verifiedDomains?: string;
  dedicatedIpPools?: DedicatedIpPoolProps[];
  smtpService?: SmtpServiceSettings;
  apiThrottle?: Throttle;
  publicLinksThrottle?: Throttle;
  trackReservedConcurrency?: number | false;
  webhookPorts?: number[];
  webhookMaxEndpoints?: number;
  alarmThresholds?: AlarmThresholds;
  alarmEmail?: string;
  logLevel?: LogLevel;
  deletionProtection?: boolean;
  customDomain?: CustomDomain;
  inboundReceiving?: boolean;
}

/** A synthesized mailroom stack. */
export interface BuiltStack {
  stack: MailroomStack;
  template: Template;
}

/** Builds and synthesizes a mailroom stack (relay `ses` with a new configuration set unless told otherwise). */
export function buildStack(options: StackOptions = {}): BuiltStack {
  const outdir = mkdtempSync(join(TMP, 'cdk-test-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    // An empty list of stacks to bundle: the functions are not bundled (seconds each).
    context: { 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const stack = new MailroomStack(app, 'Mailroom', {
    relay: options.relay ?? { kind: 'ses' },
    deliverMaxConcurrency: options.deliverMaxConcurrency ?? 10,
    ...(options.publicUrl && { publicUrl: options.publicUrl }),
    ...(options.unsubscribeMailto && { unsubscribeMailto: options.unsubscribeMailto }),
    ...(options.operatorTenant && { operatorTenant: options.operatorTenant }),
    ...(options.verifiedDomains && { verifiedDomains: options.verifiedDomains }),
    ...(options.dedicatedIpPools && { dedicatedIpPools: options.dedicatedIpPools }),
    ...(options.smtpService && { smtpService: options.smtpService }),
    ...(options.apiThrottle && { apiThrottle: options.apiThrottle }),
    ...(options.publicLinksThrottle && { publicLinksThrottle: options.publicLinksThrottle }),
    ...(options.trackReservedConcurrency !== undefined && { trackReservedConcurrency: options.trackReservedConcurrency }),
    ...(options.webhookPorts && { webhookPorts: options.webhookPorts }),
    ...(options.webhookMaxEndpoints !== undefined && { webhookMaxEndpoints: options.webhookMaxEndpoints }),
    ...(options.alarmThresholds && { alarmThresholds: options.alarmThresholds }),
    ...(options.alarmEmail && { alarmEmail: options.alarmEmail }),
    ...(options.logLevel && { logLevel: options.logLevel }),
    ...(options.deletionProtection !== undefined && { deletionProtection: options.deletionProtection }),
    ...(options.customDomain && { customDomain: options.customDomain }),
    ...(options.inboundReceiving !== undefined && { inboundReceiving: options.inboundReceiving }),
  });
  return { stack, template: Template.fromStack(stack) };
}

/** Removes the synth output of every stack built so far. */
export function removeSynthOutput(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
