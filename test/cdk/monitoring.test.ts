import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ALARM_THRESHOLDS, type AlarmThresholds } from '../../cdk/context.ts';
import { RUNBOOK } from '../../cdk/constructs/alarms.ts';
import { WIDGET_TITLES } from '../../cdk/constructs/dashboard.ts';
import { METRIC, METRICS_NAMESPACE } from '../../lib/observability/metric-names.ts';
import { anchors } from '../support/doc-check.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { referencedId, resourceStartingWith, type Resource } from './template-queries.ts';

afterAll(removeSynthOutput);

type Template = ReturnType<typeof buildStack>['template'];

/** Every alarm by name (without the `Mailroom-` prefix). */
function alarmsByName(template: Template): Record<string, Resource & { id: string }> {
  const alarms = template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>;
  return Object.fromEntries(
    Object.entries(alarms).map(([id, alarm]) => [String(alarm.Properties.AlarmName).replace(/^Mailroom-/, ''), { ...alarm, id }]),
  );
}

const FUNCTIONS_WITH_SES = ['api', 'deliver', 'stream', 'ses-events', 'export', 'campaign', 'import', 'track', 'webhook'];

/** The alarms and thresholds a stack with these settings should have, written out independently of the construct. */
function expectedAlarms(t: AlarmThresholds, ses: boolean): Record<string, number> {
  const functions = FUNCTIONS_WITH_SES.filter((name) => ses || name !== 'ses-events');
  return {
    'dlq-send': 1,
    ...(ses && { 'dlq-ses-events': 1 }),
    'dlq-export': 1,
    'dlq-campaign': 1,
    'dlq-import': 1,
    'dlq-webhook': 1,
    'stream-failures': 1,
    'send-queue-age': t.sendQueueAgeSeconds,
    'bulk-send-queue-age': t.bulkQueueAgeSeconds,
    ...Object.fromEntries(
      functions.flatMap((fn) => [
        [`${fn}-errors`, t.functionErrors],
        [`${fn}-throttles`, t.functionThrottles],
      ]),
    ),
    'http-api-5xx-rate': t.apiServerErrorRate,
    'stream-iterator-age': t.streamIteratorAgeSeconds * 1000,
    ...(ses && {
      'ses-bounce-rate-review': t.sesBounceRateReview,
      'ses-bounce-rate-pause': t.sesBounceRatePause,
      'ses-complaint-rate-review': t.sesComplaintRateReview,
      'ses-complaint-rate-pause': t.sesComplaintRatePause,
    }),
    'sent-stalled': 1,
  };
}

/** The dashboard's body with every intrinsic replaced by the logical id it points at (or `token`). */
function dashboardBody(template: Template): { widgets: { type: string; properties: Record<string, unknown> }[] } {
  const [, dashboard] = resourceStartingWith(template, 'AWS::CloudWatch::Dashboard', 'MonitoringDashboard');
  const join = (dashboard.Properties.DashboardBody as { 'Fn::Join': [string, (string | Record<string, unknown>)[]] })['Fn::Join'][1];
  const text = join.map((part) => (typeof part === 'string' ? part : 'Fn::GetAtt' in part ? referencedId(part) : 'token')).join('');
  return JSON.parse(text) as { widgets: { type: string; properties: Record<string, unknown> }[] };
}

describe.each([
  ['ses', true],
  ['smtp', false],
])('alarms with relay %s', (relay, ses) => {
  const { template } = buildStack({ relay: { kind: relay as 'ses' | 'smtp' } });
  const alarms = alarmsByName(template);
  const [topicId] = resourceStartingWith(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');

  it('are the expected ones, with their thresholds', () => {
    const actual = Object.fromEntries(Object.entries(alarms).map(([name, alarm]) => [name, alarm.Properties.Threshold]));
    expect(actual).toEqual(expectedAlarms(DEFAULT_ALARM_THRESHOLDS, ses));
  });

  it('each publish ALARM and OK to the alarm topic, alarm at or above the threshold, and describe their runbook section', () => {
    const runbook = anchors(readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8'));
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      const section = /Runbook: docs\/operations\.md#([a-z0-9-]+)$/.exec(String(alarm.Properties.AlarmDescription))?.[1];
      expect([...runbook]).toContain(section);
    }
    expect(Object.values(RUNBOOK).filter((anchor) => !runbook.has(anchor))).toEqual([]);
  });

  it('watch every dead-letter queue the template redrives to, and the table streams on-failure destination', () => {
    const queues = template.findResources('AWS::SQS::Queue') as Record<string, Resource>;
    const deadLetterIds = new Set(
      Object.values(queues).flatMap((queue) => {
        const redrive = queue.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
        return redrive ? [referencedId(redrive.deadLetterTargetArn)] : [];
      }),
    );
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>;
    const onFailure = Object.values(mappings).flatMap((mapping) => {
      const destination = (mapping.Properties.DestinationConfig as { OnFailure: { Destination: unknown } } | undefined)?.OnFailure;
      return destination ? [referencedId(destination.Destination)] : [];
    });
    // The events and messages tables' streams share one.
    expect(onFailure).toHaveLength(2);
    expect(new Set(onFailure).size).toBe(1);

    const watched = (name: string) => (alarms[name]!.Properties.Dimensions as { Value: unknown }[]).map((d) => referencedId(d.Value));
    const dlqAlarms = Object.keys(alarms).filter((name) => name.startsWith('dlq-'));
    expect(new Set(dlqAlarms.flatMap(watched))).toEqual(deadLetterIds);
    expect(watched('stream-failures')).toEqual([onFailure[0]]);
    for (const name of [...dlqAlarms, 'stream-failures']) {
      expect(alarms[name]!.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS' });
    }
  });

  it('read the age of the send queues and the lag of the stream function', () => {
    expect(alarms['send-queue-age']!.Properties).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Statistic: 'Maximum' });
    expect(alarms['stream-iterator-age']!.Properties).toMatchObject({ MetricName: 'IteratorAge', Namespace: 'AWS/Lambda' });
    const [streamId] = resourceStartingWith(template, 'AWS::Lambda::Function', 'StreamFunction');
    expect(alarms['stream-iterator-age']!.Properties.Dimensions).toEqual([{ Name: 'FunctionName', Value: { Ref: streamId } }]);
  });

  it("compute the API's 5xx share and the stalled sends from metrics, mailroom's own from metric-names.ts", () => {
    const api = alarms['http-api-5xx-rate']!.Properties.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }[];
    expect(api.find((m) => m.Expression)!.Expression).toBe('IF(requests >= 10, FILL(errors, 0) / requests, 0)');
    expect(api.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []))).toEqual(['Count', '5xx']);

    const stalled = alarms['sent-stalled']!.Properties;
    expect(stalled.EvaluationPeriods).toBe(DEFAULT_ALARM_THRESHOLDS.sentStalledMinutes / 5);
    const metrics = stalled.Metrics as {
      Expression?: string;
      ReturnData: boolean;
      MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] } };
    }[];
    expect(metrics.find((m) => m.ReturnData)!.Expression).toBe('IF(FILL(accepted, 0) > 0 AND sent == 0, 1, 0)');
    const read = metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    expect(read.map((m) => [m.Namespace, m.MetricName, m.Dimensions.find((d) => d.Name === 'Relay')?.Value])).toEqual([
      [METRICS_NAMESPACE, METRIC.accepted, undefined],
      [METRICS_NAMESPACE, METRIC.sent, 'ses'],
      [METRICS_NAMESPACE, METRIC.sent, 'smtp'],
    ]);
    expect(read.every((m) => m.Dimensions.some((d) => d.Name === 'service' && d.Value === 'mailroom'))).toBe(true);
  });

  if (ses) {
    it("watch SES's account reputation hourly", () => {
      for (const [name, metric] of [
        ['ses-bounce-rate-review', 'Reputation.BounceRate'],
        ['ses-complaint-rate-pause', 'Reputation.ComplaintRate'],
      ] as const) {
        expect(alarms[name]!.Properties).toMatchObject({ Namespace: 'AWS/SES', MetricName: metric, Statistic: 'Maximum', Period: 3600 });
      }
    });
  }

  it('are all on the dashboard, with the pipeline, queue, function, API, stream and (SES) reputation graphs', () => {
    const { widgets } = dashboardBody(template);
    const alarmWidget = widgets.find((w) => w.type === 'alarm')!;
    expect(new Set(alarmWidget.properties.alarms as string[])).toEqual(new Set(Object.values(alarms).map((a) => a.id)));
    const titles = widgets.map((w) => w.properties.title);
    const expected = Object.values(WIDGET_TITLES).filter((title) => ses || title !== WIDGET_TITLES.reputation);
    expect(titles.filter(Boolean)).toEqual(expected);

    // mailroom's metrics on the dashboard are the module's, and every one of them is shown.
    const metricRows = widgets.flatMap((w) => (w.properties.metrics as unknown[][] | undefined) ?? []);
    const mailroomNames = new Set(metricRows.filter((row) => row[0] === METRICS_NAMESPACE).map((row) => row[1]));
    expect(mailroomNames).toEqual(new Set(Object.values(METRIC)));
    const lambdaDurations = metricRows.filter((row) => row[0] === 'AWS/Lambda' && row[1] === 'Duration');
    expect(lambdaDurations).toHaveLength(ses ? 9 : 8);
  });
});

describe('alarm topic', () => {
  it('is encrypted with a rotated key that CloudWatch may use for this stack’s alarms only, and TLS only', () => {
    const { template } = buildStack();
    const [, topic] = resourceStartingWith(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    const [keyId, key] = resourceStartingWith(template, 'AWS::KMS::Key', 'MonitoringAlarmTopicKey');
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);

    const sourceArn = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:Mailroom-*'],
      ],
    };
    const conditions = { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }, ArnLike: { 'aws:SourceArn': sourceArn } };
    const keyStatements = (key.Properties.KeyPolicy as { Statement: Record<string, unknown>[] }).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: conditions,
      }),
    );
    const [, policy] = resourceStartingWith(template, 'AWS::SNS::TopicPolicy', 'MonitoringAlarmTopicPolicy');
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: conditions,
      }),
    );
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  it('mails the address of mailroom:alarmEmail, and nobody without it', () => {
    const subscriptions = (template: Template) =>
      Object.values(template.findResources('AWS::SNS::Subscription') as Record<string, Resource>).filter(
        (s) => s.Properties.Protocol === 'email',
      );
    expect(subscriptions(buildStack().template)).toEqual([]);
    const { template } = buildStack({ alarmEmail: 'oncall@example.com' });
    const [topicId] = resourceStartingWith(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    expect(subscriptions(template).map((s) => s.Properties)).toEqual([
      { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: topicId } },
    ]);
  });
});

describe('alarm thresholds from the context', () => {
  it('reach the alarms and the dashboard', () => {
    const thresholds = {
      ...DEFAULT_ALARM_THRESHOLDS,
      sendQueueAgeSeconds: 600,
      functionErrors: 3,
      apiServerErrorRate: 0.01,
      sesComplaintRateReview: 0.0008,
      sentStalledMinutes: 30,
    };
    const { template } = buildStack({ alarmThresholds: thresholds });
    const alarms = alarmsByName(template);
    expect(Object.fromEntries(Object.entries(alarms).map(([name, a]) => [name, a.Properties.Threshold]))).toEqual(
      expectedAlarms(thresholds, true),
    );
    expect(alarms['sent-stalled']!.Properties.EvaluationPeriods).toBe(6);
    const queueAge = dashboardBody(template).widgets.find((w) => w.properties.title === WIDGET_TITLES.queueAge)!;
    expect(JSON.stringify(queueAge.properties.annotations)).toContain('"value":600');
  });
});
