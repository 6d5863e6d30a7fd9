/**
 * Small readers over a synthesized template, so tests can ask "what may the deliver function
 * do" instead of repeating CloudFormation shapes.
 */
import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in the template. */
export interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
}

/** An IAM policy statement with Action and Resource as arrays. */
export interface Statement {
  actions: string[];
  resources: unknown[];
}

/** The one resource of a type whose logical id starts with the prefix; fails unless exactly one. */
export function resourceStartingWith(template: Template, type: string, prefix: string): [string, Resource] {
  const matches = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([id]) => id.startsWith(prefix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} starting with ${prefix}, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  }
  return matches[0]!;
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at. */
export function referencedId(value: unknown): string {
  const ref = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  const id = ref.Ref ?? ref['Fn::GetAtt']?.[0];
  if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return id;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * Every Allow statement of a function's execution role (`ApiFunction…`, `DeliverFunction…`):
 * its default policy and, when that grew past IAM's inline size limit, the overflow
 * policies the CDK attached to the role.
 */
export function roleStatements(template: Template, functionId: string): Statement[] {
  const [, policy] = resourceStartingWith(template, 'AWS::IAM::Policy', `${functionId}RoleDefaultPolicy`);
  const overflow = Object.entries(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, Resource>)
    .filter(([id]) => id.startsWith(`${functionId}RoleOverflowPolicy`))
    .map(([, resource]) => resource);
  return [policy, ...overflow].flatMap((resource) => {
    const document = resource.Properties.PolicyDocument as {
      Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
    };
    return document.Statement.filter((s) => s.Effect === 'Allow').map((s) => ({
      actions: asArray(s.Action),
      resources: asArray(s.Resource),
    }));
  });
}

/** The resources a role may perform an action on. */
export function resourcesFor(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
}

/** The environment variables of a function (`ApiFunction`, `DeliverFunction`, `StreamFunction`). */
export function functionEnvironment(template: Template, functionId: string): Record<string, unknown> {
  const [, fn] = resourceStartingWith(template, 'AWS::Lambda::Function', functionId);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** A template value with CloudFormation intrinsics flattened to text, for substring checks. */
export function flatten(value: unknown): string {
  return JSON.stringify(value);
}
