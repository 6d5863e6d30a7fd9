/**
 * Tenants: the accounts that send through mailroom. A tenant may have its own relay and IP
 * pool; its sending may be paused (by the reputation breaker or an operator) until an operator
 * resumes it.
 */

/** A tenant's own relay, instead of the deployment's. */
export type TenantRelay =
  /**
   * An SMTP relay whose URL (with its password) is kept as a secret; `secret` names it (a Secrets
   * Manager ARN in AWS); `display` is the URL with its password masked, for answers.
   */
  | { kind: 'smtp'; secret: string; display?: string }
  /**
   * Amazon SES, through a configuration set of its own (for example one tied to a dedicated IP
   * pool); without one, the set of the tenant's IP pool or else the deployment's.
   */
  | { kind: 'ses'; configurationSet?: string };

/** Whether a tenant may send. */
export type SendingState = { status: 'active' } | { status: 'paused'; reason: string; pausedAt: string; by: 'breaker' | 'operator' };

export interface Tenant {
  /** Letters, digits, `_` and `-`, at most 64. */
  id: string;
  name: string;
  createdAt: string;
  /** Absent: the deployment's relay. */
  relay?: TenantRelay;
  /** `shared` (absent) or the name of a dedicated IP pool (with SES, the configuration set MAILROOM_SES_IP_POOLS maps it to). */
  ipPool?: string;
  sending: SendingState;
  updatedAt: string;
}

/** A tenant id: what `npx mailroom create-key --tenant` has always accepted. */
export const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
