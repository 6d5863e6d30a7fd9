/**
 * Who may use the admin routes: the operator (an `admin` key of the operator tenant) may act on
 * every tenant; a tenant's `admin` key only on its own tenant, and only on its keys and SMTP
 * credentials. Another tenant is "not found", so its existence is never revealed.
 */
import { MailroomError, NotFoundError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import { TENANT_ID } from '../domain/tenant.ts';

/** 403: the route is the operator's. */
export class OperatorOnlyError extends MailroomError {
  constructor() {
    super(403, 'forbidden', 'Only an operator key (an admin key of the operator tenant) may do this.');
  }
}

/** Whether the caller is the operator. */
export function isOperator(principal: Principal, operatorTenant: string): boolean {
  return principal.tenant === operatorTenant && principal.scopes.includes('admin');
}

/** Throws OperatorOnlyError unless the caller is the operator. */
export function requireOperator(principal: Principal, operatorTenant: string): void {
  if (!isOperator(principal, operatorTenant)) throw new OperatorOnlyError();
}

/**
 * The tenant a route's `{id}` names, when the caller may act on it: the operator on any, a
 * tenant's admin on its own (then `operatorOnly` routes answer 403). Any other tenant: 404.
 */
export function tenantInPath(
  principal: Principal,
  operatorTenant: string,
  rawId: string,
  options: { operatorOnly?: boolean } = {},
): string {
  if (!TENANT_ID.test(rawId)) throw new NotFoundError('Tenant');
  if (isOperator(principal, operatorTenant)) return rawId;
  if (principal.tenant !== rawId) throw new NotFoundError('Tenant');
  if (options.operatorOnly) throw new OperatorOnlyError();
  return rawId;
}
