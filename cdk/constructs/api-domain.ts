/**
 * The HTTP API's custom domain: an API Gateway regional domain name (TLS 1.2) with either a
 * given ACM certificate or one the stack requests and validates in a Route 53 hosted zone, and,
 * with the zone, an alias record pointing the name at the API.
 */
import { DomainName, SecurityPolicy, type IDomainName } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate, CertificateValidation, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { ARecord, HostedZone, RecordTarget } from 'aws-cdk-lib/aws-route53';
import { ApiGatewayv2DomainProperties } from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import type { CustomDomain } from '../context-domain.ts';

/** A custom domain for the API, its certificate and, with a hosted zone, its DNS record. */
export class ApiDomain extends Construct {
  /** The domain to map the API's stage to. */
  readonly domainName: IDomainName;
  /** `https://<domain>`: the base of the API's routes and of tracking and unsubscribe links. */
  readonly url: string;
  /** The name to point a CNAME at when the stack manages no DNS record. */
  readonly target: string;

  constructor(scope: Construct, id: string, props: CustomDomain) {
    super(scope, id);
    const zone =
      props.hostedZone &&
      HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZone.id, zoneName: props.hostedZone.name });

    const certificate: ICertificate = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : new Certificate(this, 'Certificate', {
          domainName: props.domainName,
          // The zone is given whenever no certificate is (context-domain.ts checks it).
          validation: CertificateValidation.fromDns(zone),
        });

    const domain = new DomainName(this, 'DomainName', {
      domainName: props.domainName,
      certificate,
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
    if (zone) {
      new ARecord(this, 'Alias', {
        zone,
        recordName: props.domainName,
        target: RecordTarget.fromAlias(new ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId)),
      });
    }
    this.domainName = domain;
    this.url = `https://${props.domainName}`;
    this.target = domain.regionalDomainName;
  }
}
