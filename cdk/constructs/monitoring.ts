/**
 * What an on-call engineer watches: the encrypted alarm topic (with an optional email
 * subscription), the alarms that publish to it and the pipeline's dashboard, all built from
 * the same queues, functions and thresholds.
 */
import { Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmThresholds } from '../context-operations.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { Alarms } from './alarms.ts';
import type { BundledFunction } from './bundled-function.ts';
import { Dashboard } from './dashboard.ts';

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  thresholds: AlarmThresholds;
  /** An address the alarm topic mails. @default none */
  alarmEmail?: string;
  /** The queues that feed functions, by name; `send` and `bulkSend` get age alarms. */
  queues: { send: IQueue; bulkSend: IQueue } & Readonly<Record<string, IQueue>>;
  /** Dead-letter queues by name (`send`, `export`, …). */
  deadLetterQueues: Readonly<Record<string, IQueue>>;
  /** The events stream's on-failure destination. */
  streamFailures: IQueue;
  functions: readonly BundledFunction[];
  streamFunction: IFunction;
  api: IHttpApi;
  /** Whether mail goes through SES. */
  ses: boolean;
}

/** The alarm topic, the alarms and the dashboard. */
export class Monitoring extends Construct {
  /** Where alarms publish; subscribe on-call tools to it. */
  readonly topic: ITopic;
  readonly alarms: readonly IAlarm[];
  /** The dashboard's name: the stack's. */
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const namePrefix = `${stackName}-`;

    this.topic = new AlarmTopic(this, 'AlarmTopic', {
      alarmNamePrefix: namePrefix,
      ...(props.alarmEmail && { email: props.alarmEmail }),
    }).topic;

    const alarms = new Alarms(this, 'Alarms', {
      topic: this.topic,
      namePrefix,
      thresholds: props.thresholds,
      deadLetterQueues: props.deadLetterQueues,
      streamFailures: props.streamFailures,
      sendQueues: { send: props.queues.send, bulkSend: props.queues.bulkSend },
      functions: props.functions,
      streamFunction: props.streamFunction,
      api: props.api,
      ses: props.ses,
    });
    this.alarms = alarms.alarms;

    this.dashboardName = stackName;
    new Dashboard(this, 'Dashboard', {
      dashboardName: this.dashboardName,
      alarms: alarms.alarms,
      queues: props.queues,
      deadLetterQueues: { ...props.deadLetterQueues, 'stream failures': props.streamFailures },
      functions: props.functions,
      streamFunction: props.streamFunction,
      api: props.api,
      ses: props.ses,
      thresholds: props.thresholds,
    });
  }
}
