/**
 * The API's optional custom domain: `mailroom:domainName` with either an ACM certificate
 * (`mailroom:certificateArn`) or a Route 53 hosted zone (`mailroom:hostedZoneId` and
 * `mailroom:hostedZoneName`) in which the stack validates a new certificate and adds an alias
 * record. Tracking and unsubscribe links then use the domain.
 */
import type { Node } from 'constructs';
import { ContextError, optionalString } from './context-values.ts';

/** A custom domain for the HTTP API. */
export interface CustomDomain {
  /** The host name, e.g. `mail.example.com`. */
  domainName: string;
  /** An ACM certificate for it, in the stack's Region; absent: the stack requests one, validated in the zone. */
  certificateArn?: string;
  /** The public hosted zone holding the name; with it the stack adds an alias record pointing at the API. */
  hostedZone?: { id: string; name: string };
}

/** The context keys of the custom domain. */
export interface CustomDomainKeys {
  domainName: string;
  certificateArn: string;
  hostedZoneId: string;
  hostedZoneName: string;
}

// A DNS host name of at least two labels, lower-cased before the check.
const HOST_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

function hostName(node: Node, key: string): string | undefined {
  const value = optionalString(node, key)?.toLowerCase().replace(/\.$/, '');
  if (value !== undefined && !HOST_NAME.test(value))
    throw new ContextError(key, `must be a DNS name such as mail.example.com, got "${value}"`);
  return value;
}

/** Reads the custom domain, if one is configured. */
export function customDomain(node: Node, keys: CustomDomainKeys): { customDomain?: CustomDomain } {
  const domainName = hostName(node, keys.domainName);
  const certificateArn = optionalString(node, keys.certificateArn);
  const zoneId = optionalString(node, keys.hostedZoneId);
  const zoneName = hostName(node, keys.hostedZoneName);

  if (domainName === undefined) {
    const stray = [
      [keys.certificateArn, certificateArn],
      [keys.hostedZoneId, zoneId],
      [keys.hostedZoneName, zoneName],
    ].find(([, value]) => value !== undefined);
    if (stray) throw new ContextError(stray[0]!, `applies only with ${keys.domainName}`);
    return {};
  }
  if (certificateArn !== undefined && !CERTIFICATE_ARN.test(certificateArn)) {
    throw new ContextError(keys.certificateArn, `must be the ARN of an ACM certificate, got "${certificateArn}"`);
  }
  if (zoneId !== undefined && !HOSTED_ZONE_ID.test(zoneId)) {
    throw new ContextError(keys.hostedZoneId, `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, got "${zoneId}"`);
  }
  if ((zoneId === undefined) !== (zoneName === undefined)) {
    throw new ContextError(
      zoneId === undefined ? keys.hostedZoneId : keys.hostedZoneName,
      `is needed with ${zoneId === undefined ? keys.hostedZoneName : keys.hostedZoneId}`,
    );
  }
  if (certificateArn === undefined && zoneId === undefined) {
    throw new ContextError(
      keys.domainName,
      `needs a certificate: ${keys.certificateArn}, or ${keys.hostedZoneId} and ${keys.hostedZoneName} to create one`,
    );
  }
  if (zoneName !== undefined && domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    throw new ContextError(keys.hostedZoneName, `must be ${domainName} or a parent of it, got "${zoneName}"`);
  }
  return {
    customDomain: {
      domainName,
      ...(certificateArn && { certificateArn }),
      ...(zoneId && zoneName && { hostedZone: { id: zoneId, name: zoneName } }),
    },
  };
}
