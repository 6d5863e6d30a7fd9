/**
 * mailroom's CloudWatch alarms, each publishing its ALARM and OK transitions to the alarm topic
 * and describing what it means, the first thing to do, and where in docs/operations.md the
 * rest is. Names are `<stack>-<what>`, e.g. `Mailroom-dlq-send`.
 */
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Stats, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC } from '../../lib/observability/metric-names.ts';
import type { AlarmThresholds } from '../context-operations.ts';
import type { BundledFunction } from './bundled-function.ts';
import { acrossRelays, FIVE_MINUTES, mailroomMetric, sesReputation } from './mailroom-metrics.ts';

/** The runbook's sections, by the anchors GitHub gives their headings in docs/operations.md. */
export const RUNBOOK = {
  deadLetters: 'a-dead-letter-queue-holds-messages',
  streamFailures: 'events-stream-batches-failed',
  queueAge: 'a-send-queue-is-falling-behind',
  functionErrors: 'a-function-fails',
  functionThrottles: 'a-function-is-throttled',
  apiErrors: 'the-api-answers-5xx',
  streamLag: 'the-events-stream-lags',
  sesBounces: 'ses-bounce-rate',
  sesComplaints: 'ses-complaint-rate',
  sentStalled: 'mail-is-accepted-but-none-is-sent',
} as const;

/** Fewer requests than this in five minutes never raise the API's 5xx rate alarm (one failure in three is no trend). */
export const API_MIN_REQUESTS = 10;

/** Properties of {@link Alarms}. */
export interface AlarmsProps {
  /** Where every alarm publishes. */
  topic: ITopic;
  /** Prefix of every alarm name (`<stack name>-`). */
  namePrefix: string;
  thresholds: AlarmThresholds;
  /** Dead-letter queues by the name the alarm carries (`send`, `export`, …). */
  deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The on-failure destination of the events stream's event source mapping. */
  streamFailures: IQueue;
  /** The transactional and campaign send queues. */
  sendQueues: { send: IQueue; bulkSend: IQueue };
  /** Every function of the stack. */
  functions: readonly BundledFunction[];
  /** The function the events stream feeds. */
  streamFunction: IFunction;
  api: IHttpApi;
  /** Whether mail goes through SES (the reputation alarms). */
  ses: boolean;
}

interface AlarmSpec {
  metric: IMetric;
  threshold: number;
  /** What it means and the first thing to do. */
  meaning: string;
  runbook: string;
  /** Consecutive periods that must breach. @default 1 */
  periods?: number;
}

/** `sesEvents` → `ses-events`. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Every alarm of the stack. */
export class Alarms extends Construct {
  /** The alarms, in the order they were made. */
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AlarmsProps,
  ) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
    const t = props.thresholds;

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`dlq-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        threshold: 1,
        meaning: `Work failed every retry and waits in the ${name} dead-letter queue until redriven or expired. Read one letter, fix the cause, then redrive.`,
        runbook: RUNBOOK.deadLetters,
      });
    }
    this.add('stream-failures', {
      metric: props.streamFailures.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      threshold: 1,
      meaning:
        'A batch of the events or messages stream failed every retry: its reports and notifications were skipped. The queue holds stream positions, not events; read them before the stream drops the records (24 hours).',
      runbook: RUNBOOK.streamFailures,
    });

    const ages = { send: t.sendQueueAgeSeconds, 'bulk-send': t.bulkQueueAgeSeconds };
    for (const [name, queue] of [
      ['send', props.sendQueues.send],
      ['bulk-send', props.sendQueues.bulkSend],
    ] as const) {
      this.add(`${name}-queue-age`, {
        metric: queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        threshold: ages[name],
        meaning: `The oldest job on the ${name} queue waited ${ages[name]} s or more: delivery is slower than sends arrive, or stopped. Check the deliver function's errors and throttles and the relay.`,
        runbook: RUNBOOK.queueAge,
      });
    }

    for (const fn of props.functions) {
      const name = kebab(fn.name);
      this.add(`${name}-errors`, {
        metric: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: t.functionErrors,
        meaning: `The ${name} function failed ${t.functionErrors} or more invocations in five minutes (uncaught errors or timeouts). Read its log group's errors.`,
        runbook: RUNBOOK.functionErrors,
      });
      this.add(`${name}-throttles`, {
        metric: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        threshold: t.functionThrottles,
        meaning: `Lambda refused ${t.functionThrottles} or more invocations of the ${name} function in five minutes: its reserved or the account's concurrency is used up. Check concurrency.`,
        runbook: RUNBOOK.functionThrottles,
      });
    }

    this.add('http-api-5xx-rate', {
      metric: new MathExpression({
        expression: `IF(requests >= ${API_MIN_REQUESTS}, FILL(errors, 0) / requests, 0)`,
        usingMetrics: {
          requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM }),
          errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        },
        label: 'Share of requests answered 5xx',
        period: FIVE_MINUTES,
      }),
      threshold: t.apiServerErrorRate,
      meaning: `${t.apiServerErrorRate * 100}% or more of the HTTP API's requests got a 5xx in five minutes. Read the access log's 5xx lines and the api function's errors.`,
      runbook: RUNBOOK.apiErrors,
    });

    this.add('stream-iterator-age', {
      metric: props.streamFunction.metric('IteratorAge', { period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      threshold: t.streamIteratorAgeSeconds * 1000,
      meaning: `The stream function is ${t.streamIteratorAgeSeconds} s or more behind the events or messages stream: reports and notifications lag, and records older than 24 hours are lost. Check its errors and duration.`,
      runbook: RUNBOOK.streamLag,
    });

    if (props.ses) this.addSesReputation(t);

    this.add('sent-stalled', {
      metric: new MathExpression({
        expression: `IF(FILL(accepted, 0) > 0 AND sent == 0, 1, 0)`,
        usingMetrics: { accepted: mailroomMetric(METRIC.accepted), sent: acrossRelays(METRIC.sent, 'Sent') },
        label: 'Accepted but nothing sent',
        period: FIVE_MINUTES,
      }),
      threshold: 1,
      periods: t.sentStalledMinutes / 5,
      meaning: `Messages were accepted in each five-minute period of the last ${t.sentStalledMinutes} minutes and none was sent. Check the send queue's age, the deliver function and the relay.`,
      runbook: RUNBOOK.sentStalled,
    });
  }

  private addSesReputation(t: AlarmThresholds): void {
    const levels = [
      ['review', 'AWS places an account under review at this rate'],
      ['pause', 'AWS may pause the account’s sending at this rate'],
    ] as const;
    for (const [level, consequence] of levels) {
      const bounce = level === 'review' ? t.sesBounceRateReview : t.sesBounceRatePause;
      this.add(`ses-bounce-rate-${level}`, {
        metric: sesReputation('BounceRate'),
        threshold: bounce,
        meaning: `The SES account's bounce rate reached ${bounce * 100}%: ${consequence}. Find the tenants and lists that bounce (reports by tenant) and pause them.`,
        runbook: RUNBOOK.sesBounces,
      });
      const complaint = level === 'review' ? t.sesComplaintRateReview : t.sesComplaintRatePause;
      this.add(`ses-complaint-rate-${level}`, {
        metric: sesReputation('ComplaintRate'),
        threshold: complaint,
        meaning: `The SES account's complaint rate reached ${complaint * 100}%: ${consequence}. Find the tenants and campaigns with complaints and pause them.`,
        runbook: RUNBOOK.sesComplaints,
      });
    }
  }

  private add(name: string, spec: AlarmSpec): void {
    const periods = spec.periods ?? 1;
    const alarm = new Alarm(this, name, {
      alarmName: `${this.props.namePrefix}${name}`,
      alarmDescription: `${spec.meaning} Runbook: docs/operations.md#${spec.runbook}`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      // Each of these metrics reports nothing while all is well (no letters, no errors, no mail).
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}
