import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lib/observability/metric-names.ts';
import { POWERTOOLS_ENV } from '../../lib/observability/powertools-env.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { referencedId, resourceStartingWith, roleStatements, type Resource } from './template-queries.ts';

afterAll(removeSynthOutput);

type Template = ReturnType<typeof buildStack>['template'];

const functionsOf = (template: Template) => Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Resource>);
const outputs = (template: Template) => template.toJSON().Outputs as Record<string, { Value: unknown }>;
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe.each([
  ['ses', { kind: 'ses' as const }],
  ['smtp', { kind: 'smtp' as const }],
])('every function (relay %s)', (_, relay) => {
  const { template } = buildStack({ relay });
  const functions = functionsOf(template);

  it('traces actively with X-Ray and tells Powertools the service, namespace and log level', () => {
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [, fn] of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
        [POWERTOOLS_ENV.serviceName]: METRICS_SERVICE,
        [POWERTOOLS_ENV.metricsNamespace]: METRICS_NAMESPACE,
        [POWERTOOLS_ENV.logLevel]: 'INFO',
      });
    }
  });

  it('may write traces, and acts on * only for X-Ray and (deliver, SES) ses:GetAccount, which have no resource-level permissions', () => {
    const allowedOnAnything = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'ses:GetAccount']);
    for (const [id] of functions) {
      const prefix = id.replace(/Function[0-9A-F]{8}$/, 'Function');
      const statements = roleStatements(template, prefix);
      expect(statements.some((s) => s.actions.includes('xray:PutTraceSegments'))).toBe(true);
      const onAnything = statements.filter((s) => s.resources.includes('*')).flatMap((s) => s.actions);
      expect(onAnything.filter((action) => !allowedOnAnything.has(action))).toEqual([]);
    }
  });
});

describe('log level', () => {
  it('is the one mailroom:logLevel gives', () => {
    const { template } = buildStack({ logLevel: 'DEBUG' });
    for (const [, fn] of functionsOf(template)) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[POWERTOOLS_ENV.logLevel]).toBe('DEBUG');
    }
  });
});

describe('what a stack deletion keeps', () => {
  const { template } = buildStack();
  const queues = template.findResources('AWS::SQS::Queue') as Record<string, Resource & { UpdateReplacePolicy?: string }>;

  it('keeps every dead-letter queue and the stream failures queue, and deletes the queues that feed functions', () => {
    const deadLetterIds = new Set(
      Object.values(queues).flatMap((q) => {
        const redrive = q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
        return redrive ? [referencedId(redrive.deadLetterTargetArn)] : [];
      }),
    );
    const [failuresId] = resourceStartingWith(template, 'AWS::SQS::Queue', 'StreamFailures');
    deadLetterIds.add(failuresId);
    expect(deadLetterIds.size).toBe(7);
    for (const [id, queue] of Object.entries(queues)) {
      const kept = deadLetterIds.has(id);
      expect([id, queue.DeletionPolicy, queue.UpdateReplacePolicy]).toEqual(kept ? [id, 'Retain', 'Retain'] : [id, 'Delete', 'Delete']);
    }
  });

  const protection = (template: Template) =>
    Object.values(template.findResources('AWS::DynamoDB::GlobalTable') as Record<string, Resource>).map(
      (table) => (table.Properties.Replicas as { DeletionProtectionEnabled?: boolean }[])[0]!.DeletionProtectionEnabled,
    );

  it('protects every table from deletion by default', () => {
    expect(new Set(protection(template))).toEqual(new Set([true]));
  });

  it('lets test stacks turn deletion protection off (mailroom:deletionProtection=false)', () => {
    expect(new Set(protection(buildStack({ deletionProtection: false }).template))).toEqual(new Set([false]));
  });
});

describe('custom domain', () => {
  it('is absent by default: links use the API’s own URL, which ApiUrl gives', () => {
    const { template } = buildStack();
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::DomainName'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::ApiGatewayV2::ApiMapping'))).toEqual([]);
    for (const [, fn] of functionsOf(template)) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.publicUrl]).toBeUndefined();
    }
    expect(JSON.stringify(outputs(template).ApiUrl!.Value)).toContain('execute-api');
    expect(outputs(template).ApiDomainTarget).toBeUndefined();
  });

  it('with a hosted zone: a DNS-validated certificate, the domain mapped to the API, an alias record, and links on the domain', () => {
    const { template } = buildStack({
      customDomain: { domainName: 'mail.example.com', hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.com' } },
    });
    const [certificateId, certificate] = resourceStartingWith(template, 'AWS::CertificateManager::Certificate', 'ApiDomainCertificate');
    expect(certificate.Properties).toMatchObject({
      DomainName: 'mail.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'mail.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    const [domainId, domain] = resourceStartingWith(template, 'AWS::ApiGatewayV2::DomainName', 'ApiDomainDomainName');
    expect(domain.Properties).toMatchObject({
      DomainName: 'mail.example.com',
      DomainNameConfigurations: [{ CertificateArn: { Ref: certificateId }, EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2' }],
    });
    const [, mapping] = resourceStartingWith(template, 'AWS::ApiGatewayV2::ApiMapping', 'HttpApiDefaultStage');
    expect(mapping.Properties).toMatchObject({ DomainName: { Ref: domainId }, Stage: '$default' });
    const [, record] = resourceStartingWith(template, 'AWS::Route53::RecordSet', 'ApiDomainAlias');
    expect(record.Properties).toMatchObject({
      Name: 'mail.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] } },
    });
    for (const [, fn] of functionsOf(template)) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.publicUrl]).toBe(
        'https://mail.example.com',
      );
    }
    expect(outputs(template).ApiUrl!.Value).toBe('https://mail.example.com/');
    expect(outputs(template).ApiDomainTarget).toBeUndefined();
  });

  it('with a certificate and no zone: no record, and ApiDomainTarget names where DNS must point', () => {
    const { template } = buildStack({ customDomain: { domainName: 'mail.example.com', certificateArn: CERTIFICATE } });
    expect(Object.keys(template.findResources('AWS::CertificateManager::Certificate'))).toEqual([]);
    expect(Object.keys(template.findResources('AWS::Route53::RecordSet'))).toEqual([]);
    const [domainId, domain] = resourceStartingWith(template, 'AWS::ApiGatewayV2::DomainName', 'ApiDomainDomainName');
    expect(domain.Properties).toMatchObject({ DomainNameConfigurations: [{ CertificateArn: CERTIFICATE }] });
    expect(outputs(template).ApiDomainTarget!.Value).toEqual({ 'Fn::GetAtt': [domainId, 'RegionalDomainName'] });
  });

  it('gives way to mailroom:publicUrl for links', () => {
    const { template } = buildStack({
      publicUrl: 'https://links.example.com',
      customDomain: { domainName: 'mail.example.com', certificateArn: CERTIFICATE },
    });
    for (const [, fn] of functionsOf(template)) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.publicUrl]).toBe(
        'https://links.example.com',
      );
    }
  });
});
