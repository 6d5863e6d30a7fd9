/**
 * One CloudWatch dashboard of the pipeline, top to bottom as mail flows: the alarms; messages
 * accepted → sent → deferred, bounced, complained, failed (mailroom's own metrics, with SES's
 * account counts beside them when SES relays); the queues' depths, ages and dead letters; each
 * function's duration, errors and throttles; the API and the events stream; SES reputation.
 */
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard as CwDashboard,
  GraphWidget,
  Stats,
  TextWidget,
  type IAlarm,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, RELAY_KINDS } from '../../lib/observability/metric-names.ts';
import type { AlarmThresholds } from '../context-operations.ts';
import type { BundledFunction } from './bundled-function.ts';
import { acrossRelays, FIVE_MINUTES, mailroomMetric, sesCount, sesReputation } from './mailroom-metrics.ts';

/** Properties of {@link Dashboard}. */
export interface DashboardProps {
  /** The dashboard's name (the stack's). */
  dashboardName: string;
  alarms: readonly IAlarm[];
  /** Queues that feed functions, by name. */
  queues: Readonly<Record<string, IQueue>>;
  /** Dead-letter queues (and the stream failures queue), by name. */
  deadLetterQueues: Readonly<Record<string, IQueue>>;
  functions: readonly BundledFunction[];
  streamFunction: IFunction;
  api: IHttpApi;
  /** Whether mail goes through SES: its account counts and reputation are shown. */
  ses: boolean;
  thresholds: AlarmThresholds;
}

/** The widgets' titles, which the template tests look for. */
export const WIDGET_TITLES = {
  alarms: 'Alarms',
  pipeline: 'Accepted → sent',
  outcomes: 'Deferred, bounced, complained, failed',
  latency: 'Accept to sent, relay answer (p50, p99, ms)',
  queueDepth: 'Queue depth (visible messages)',
  queueAge: 'Oldest message (seconds)',
  deadLetters: 'Dead letters',
  durations: 'Function duration p99 (ms)',
  errors: 'Function errors',
  throttles: 'Function throttles',
  api: 'HTTP API requests',
  stream: 'Events stream lag (ms)',
  notifications: 'Notification and webhook failures',
  reputation: 'SES reputation',
} as const;

const WIDE = 8;
const HEIGHT = 6;

/** The mailroom dashboard. */
export class Dashboard extends Construct {
  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const graph = (title: keyof typeof WIDGET_TITLES, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title: WIDGET_TITLES[title], left, width: WIDE, height: HEIGHT, period: FIVE_MINUTES, ...extra });
    const perFunction = (metric: (fn: IFunction) => IMetric) => props.functions.map((fn) => metric(fn.function));
    const perQueue = (queues: Readonly<Record<string, IQueue>>, metric: (queue: IQueue, label: string) => IMetric) =>
      Object.entries(queues).map(([name, queue]) => metric(queue, name));

    const dashboard = new CwDashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: WIDGET_TITLES.alarms, alarms: [...props.alarms], width: 18, height: 4 }),
      new TextWidget({
        markdown: 'What each alarm means and what to do: **docs/operations.md**, "Alarms and what to do".',
        width: 6,
        height: 4,
      }),
    );
    dashboard.addWidgets(
      graph('pipeline', [
        mailroomMetric(METRIC.accepted, { label: 'Accepted' }),
        mailroomMetric(METRIC.rejected, { label: 'Rejected' }),
        acrossRelays(METRIC.sent, 'Sent'),
        ...(props.ses ? [sesCount('Send'), sesCount('Delivery')] : []),
      ]),
      graph('outcomes', [
        acrossRelays(METRIC.deferred, 'Deferred'),
        acrossRelays(METRIC.bounced, 'Bounced (hard)', 'hard'),
        acrossRelays(METRIC.bounced, 'Bounced (soft)', 'soft'),
        acrossRelays(METRIC.complained, 'Complained'),
        acrossRelays(METRIC.failed, 'Failed'),
        ...(props.ses ? [sesCount('Bounce'), sesCount('Complaint'), sesCount('Reject')] : []),
      ]),
      graph(
        'latency',
        RELAY_KINDS.flatMap((relay) => [
          mailroomMetric(METRIC.acceptToSent, { relay, statistic: Stats.p(50), label: `Accept to sent p50 (${relay})` }),
          mailroomMetric(METRIC.acceptToSent, { relay, statistic: Stats.p(99), label: `Accept to sent p99 (${relay})` }),
          mailroomMetric(METRIC.relayAnswerTime, { relay, statistic: Stats.p(99), label: `Relay answer p99 (${relay})` }),
        ]),
      ),
    );
    dashboard.addWidgets(
      graph(
        'queueDepth',
        perQueue(props.queues, (q, label) => q.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, label })),
      ),
      graph(
        'queueAge',
        perQueue(props.queues, (q, label) => q.metricApproximateAgeOfOldestMessage({ statistic: Stats.MAXIMUM, label })),
        {
          leftAnnotations: [
            { value: props.thresholds.sendQueueAgeSeconds, label: 'send queue alarm' },
            { value: props.thresholds.bulkQueueAgeSeconds, label: 'bulk-send queue alarm' },
          ],
        },
      ),
      graph(
        'deadLetters',
        perQueue(props.deadLetterQueues, (q, label) => q.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM, label })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'durations',
        perFunction((fn) => fn.metricDuration({ statistic: Stats.p(99) })),
      ),
      graph(
        'errors',
        perFunction((fn) => fn.metricErrors({ statistic: Stats.SUM })),
      ),
      graph(
        'throttles',
        perFunction((fn) => fn.metricThrottles({ statistic: Stats.SUM })),
      ),
    );
    dashboard.addWidgets(
      graph(
        'api',
        [
          props.api.metricCount({ statistic: Stats.SUM, label: 'Requests' }),
          props.api.metricClientError({ statistic: Stats.SUM, label: '4xx' }),
          props.api.metricServerError({ statistic: Stats.SUM, label: '5xx' }),
        ],
        { right: [props.api.metricLatency({ statistic: Stats.p(99), label: 'Latency p99 (ms)' })] },
      ),
      graph('stream', [props.streamFunction.metric('IteratorAge', { statistic: Stats.MAXIMUM, label: 'Iterator age' })], {
        leftAnnotations: [{ value: props.thresholds.streamIteratorAgeSeconds * 1000, label: 'alarm' }],
      }),
      graph('notifications', [
        mailroomMetric(METRIC.notificationFailures, { label: 'Notifications not published' }),
        mailroomMetric(METRIC.webhookFailures, { label: 'Webhook deliveries failed' }),
      ]),
    );
    if (props.ses) {
      const t = props.thresholds;
      dashboard.addWidgets(
        new GraphWidget({
          title: WIDGET_TITLES.reputation,
          left: [sesReputation('BounceRate'), sesReputation('ComplaintRate')],
          leftAnnotations: [
            { value: t.sesBounceRateReview, label: 'bounce: review' },
            { value: t.sesBounceRatePause, label: 'bounce: pause' },
            { value: t.sesComplaintRateReview, label: 'complaint: review' },
            { value: t.sesComplaintRatePause, label: 'complaint: pause' },
          ],
          width: 24,
          height: HEIGHT,
        }),
      );
    }
  }
}
