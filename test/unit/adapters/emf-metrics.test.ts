/** Metrics as EMF: one document per combination of dimensions, under mailroom's namespace and names, nothing when nothing was recorded. */
import { describe, expect, it } from 'vitest';
import { EmfMetrics } from '../../../lib/adapters/cloudwatch/emf-metrics.ts';
import { LogMetrics } from '../../../lib/adapters/cloudwatch/log-metrics.ts';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../../lib/observability/metric-names.ts';
import { memoryLog } from '../../support/fakes/log.ts';
import { captureOutput, emfDocuments, jsonLines } from '../../support/stdout.ts';

describe('EmfMetrics', () => {
  it('writes a document per combination of dimensions, with the service and the values recorded', async () => {
    const log = memoryLog();
    const metrics = new EmfMetrics(log);
    const { lines } = await captureOutput(async () => {
      metrics.count(METRIC.accepted, {}, 3);
      metrics.count(METRIC.sent, { relay: 'ses' });
      metrics.count(METRIC.sent, { relay: 'ses' });
      metrics.duration(METRIC.relayAnswerTime, 42, { relay: 'smtp' });
      metrics.count(METRIC.bounced, { relay: 'smtp', bounceType: 'hard' });
      metrics.publish();
    });
    const documents = emfDocuments(jsonLines(lines));
    expect(documents).toHaveLength(4);
    for (const document of documents) {
      expect(document._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRICS_NAMESPACE);
      expect(document.service).toBe(METRICS_SERVICE);
    }
    const find = (name: string) => documents.find((d) => name in d)!;
    expect(find(METRIC.accepted)).toMatchObject({ [METRIC.accepted]: 3 });
    expect(find(METRIC.accepted)._aws.CloudWatchMetrics[0]).toMatchObject({
      Dimensions: [['service']],
      Metrics: [{ Name: METRIC.accepted, Unit: 'Count' }],
    });
    expect(find(METRIC.sent)).toMatchObject({ Relay: 'ses', [METRIC.sent]: [1, 1] });
    expect(find(METRIC.sent)._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'Relay']]);
    expect(find(METRIC.relayAnswerTime)).toMatchObject({ Relay: 'smtp', [METRIC.relayAnswerTime]: 42 });
    expect(find(METRIC.relayAnswerTime)._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: METRIC.relayAnswerTime, Unit: 'Milliseconds' },
    ]);
    expect(find(METRIC.bounced)).toMatchObject({ Relay: 'smtp', BounceType: 'hard' });
    expect(find(METRIC.bounced)._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', 'Relay', 'BounceType']]);
    expect(log.lines).toEqual([]);
  });

  it('writes nothing, and says nothing, when nothing was recorded', async () => {
    const log = memoryLog();
    const metrics = new EmfMetrics(log);
    const { lines } = await captureOutput(async () => {
      for (const instance of metrics.instances) instance.publishStoredMetrics();
      metrics.publish();
    });
    expect(lines).toEqual([]);
    expect(log.lines).toEqual([]);
  });

  it('starts afresh after each publication', async () => {
    const metrics = new EmfMetrics(memoryLog());
    const { lines } = await captureOutput(async () => {
      metrics.count(METRIC.rejected);
      metrics.publish();
      metrics.publish();
      metrics.count(METRIC.rejected, {}, 2);
      metrics.publish();
    });
    expect(emfDocuments(jsonLines(lines)).map((d) => d[METRIC.rejected])).toEqual([1, 2]);
  });
});

describe('LogMetrics', () => {
  it('writes a debug line per data point', () => {
    const log = memoryLog();
    const metrics = new LogMetrics(log);
    metrics.count(METRIC.deferred, { relay: 'smtp' });
    metrics.duration(METRIC.acceptToSent, 1500, { relay: 'ses' });
    expect(log.lines).toEqual([
      { level: 'debug', message: 'metric', extra: { metric: METRIC.deferred, value: 1, unit: 'Count', Relay: 'smtp' } },
      { level: 'debug', message: 'metric', extra: { metric: METRIC.acceptToSent, value: 1500, unit: 'Milliseconds', Relay: 'ses' } },
    ]);
  });
});
