/**
 * The context of mailroom's optional sending services: SES dedicated IP pools
 * (`mailroom:dedicatedIpPools`) and the SMTP submission service (`mailroom:smtp`). Both take
 * JSON from `cdk -c` as well as values from cdk.json.
 */
import type { Node } from 'constructs';
import { COMPLETE_SECRET_ARN, ContextError, structured } from './context-values.ts';

/** An SES dedicated IP pool, and the configuration set that sends through it. */
export interface DedicatedIpPoolProps {
  /** Pool name in SES, and what a tenant's `ip_pool` setting names. */
  name: string;
  /** `STANDARD`: you place leased IPs in the pool; `MANAGED`: SES leases and warms them. @default STANDARD */
  scalingMode: 'STANDARD' | 'MANAGED';
}

/** The SMTP submission service's settings (context `mailroom:smtp`). */
export interface SmtpServiceSettings {
  /** Complete ARN of the secret holding `{"cert","key"}` (PEM) for STARTTLS and implicit TLS. */
  certificateSecretArn: string;
  /** Host name the service greets with; point it (CNAME or alias) at the load balancer. */
  hostname: string;
  /** Tasks to run. @default 2 */
  desiredCount: number;
  /** Fargate CPU units. @default 256 */
  cpu: number;
  /** Fargate memory, MiB. @default 512 */
  memoryMiB: number;
  /** IPv4 CIDRs that may connect to 587 and 465. @default ['0.0.0.0/0'] */
  allowedCidrs: string[];
}

// SES pool names: letters, digits, `_` and `-`, at most 64; `shared` means "no dedicated pool"
// in a tenant's settings, and SES keeps `ses-default-dedicated-pool` for itself.
const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const RESERVED_POOL_NAMES = new Set(['shared', 'ses-default-dedicated-pool']);

/**
 * The `mailroom:dedicatedIpPools` list (`key`).
 * @param sesOnlyKey the relay key to name when the relay is not `ses` (pools need SES); undefined with SES
 */
export function dedicatedIpPools(node: Node, key: string, sesOnlyKey?: string): { dedicatedIpPools?: DedicatedIpPoolProps[] } {
  const raw = structured(node, key);
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw))
    throw new ContextError(key, `must be a list of pool names or {"name","scalingMode"} objects, got ${JSON.stringify(raw)}`);
  if (raw.length === 0) return {};
  if (sesOnlyKey !== undefined) throw new ContextError(key, `applies only when ${sesOnlyKey} is "ses"`);
  const pools = raw.map((entry: unknown, index): DedicatedIpPoolProps => {
    const where = `entry ${index}`;
    const object = typeof entry === 'string' ? { name: entry } : entry;
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw new ContextError(key, `${where} must be a pool name or {"name","scalingMode"}, got ${JSON.stringify(entry)}`);
    }
    const { name, scalingMode = 'STANDARD', ...rest } = object as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw new ContextError(key, `${where} has unknown field(s) ${unknown.join(', ')} (known: name, scalingMode)`);
    if (typeof name !== 'string' || !POOL_NAME.test(name) || RESERVED_POOL_NAMES.has(name)) {
      throw new ContextError(
        key,
        `${where} name must be letters, digits, "_" and "-" (up to 64), not "shared" or "ses-default-dedicated-pool", got ${JSON.stringify(name)}`,
      );
    }
    if (scalingMode !== 'STANDARD' && scalingMode !== 'MANAGED') {
      throw new ContextError(key, `${where} scalingMode must be "STANDARD" or "MANAGED", got ${JSON.stringify(scalingMode)}`);
    }
    return { name, scalingMode };
  });
  const names = pools.map((pool) => pool.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new ContextError(key, `names the pool "${repeated}" twice`);
  return { dedicatedIpPools: pools };
}

/** Fargate's CPU units and the memory sizes (MiB) each allows, for the sizes an SMTP task needs. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: [2048, 3072, 4096, 5120, 6144, 7168, 8192],
  2048: [4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384],
};

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)$/;
const SMTP_FIELDS = ['enabled', 'certificateSecretArn', 'hostname', 'desiredCount', 'cpu', 'memoryMiB', 'allowedCidrs'];

function wholeNumber(key: string, value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw new ContextError(key, `${field} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** The `mailroom:smtp` settings (`key`); nothing unless `enabled` is true. */
export function smtpService(node: Node, key: string): { smtpService?: SmtpServiceSettings } {
  const raw = structured(node, key);
  if (raw === undefined || raw === null || raw === false) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ContextError(
      key,
      `must be an object such as {"enabled": true, "certificateSecretArn": "…", "hostname": "smtp.example.com"}, got ${JSON.stringify(raw)}`,
    );
  }
  const settings = raw as Record<string, unknown>;
  const unknown = Object.keys(settings).filter((field) => !SMTP_FIELDS.includes(field));
  if (unknown.length > 0) throw new ContextError(key, `has unknown field(s) ${unknown.join(', ')} (known: ${SMTP_FIELDS.join(', ')})`);
  if (settings.enabled !== true && settings.enabled !== 'true') {
    if (settings.enabled === undefined || settings.enabled === false || settings.enabled === 'false') return {};
    throw new ContextError(key, `enabled must be true or false, got ${JSON.stringify(settings.enabled)}`);
  }
  const certificateSecretArn = typeof settings.certificateSecretArn === 'string' ? settings.certificateSecretArn.trim() : '';
  if (!COMPLETE_SECRET_ARN.test(certificateSecretArn)) {
    throw new ContextError(
      key,
      `certificateSecretArn must be the complete ARN of a Secrets Manager secret holding {"cert","key"} (PEM), ending in the 6-character suffix; got ${JSON.stringify(settings.certificateSecretArn ?? null)}`,
    );
  }
  const hostname = typeof settings.hostname === 'string' ? settings.hostname.trim().toLowerCase() : '';
  if (!HOSTNAME.test(hostname)) {
    throw new ContextError(
      key,
      `hostname must be the DNS name clients connect to (smtp.example.com), got ${JSON.stringify(settings.hostname ?? null)}`,
    );
  }
  const desiredCount = wholeNumber(key, settings.desiredCount, 'desiredCount', 1, 50, 2);
  const cpu = wholeNumber(key, settings.cpu, 'cpu', 256, 2048, 256);
  const sizes = FARGATE_SIZES[cpu];
  if (!sizes) throw new ContextError(key, `cpu must be one of ${Object.keys(FARGATE_SIZES).join(', ')}, got ${cpu}`);
  const memoryMiB = wholeNumber(key, settings.memoryMiB, 'memoryMiB', 512, 16_384, sizes[0]!);
  if (!sizes.includes(memoryMiB))
    throw new ContextError(key, `memoryMiB ${memoryMiB} does not go with cpu ${cpu} on Fargate (allowed: ${sizes.join(', ')})`);
  const cidrs = settings.allowedCidrs ?? ['0.0.0.0/0'];
  if (!Array.isArray(cidrs) || cidrs.length === 0 || !cidrs.every((cidr) => typeof cidr === 'string' && IPV4_CIDR.test(cidr))) {
    throw new ContextError(key, `allowedCidrs must be a non-empty list of IPv4 CIDRs (203.0.113.0/24), got ${JSON.stringify(cidrs)}`);
  }
  return { smtpService: { certificateSecretArn, hostname, desiredCount, cpu, memoryMiB, allowedCidrs: cidrs as string[] } };
}
