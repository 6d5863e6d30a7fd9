import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import { flatten, functionEnvironment, resourceStartingWith, resourcesFor, roleStatements } from './template-queries.ts';

afterAll(removeSynthOutput);

const POOLS = [
  { name: 'transactional', scalingMode: 'STANDARD' as const },
  { name: 'bulk', scalingMode: 'MANAGED' as const },
];

describe('dedicated IP pools', () => {
  const { template } = buildStack({ dedicatedIpPools: POOLS });

  it('creates each pool with its scaling mode, and a configuration set sending through it', () => {
    template.resourceCountIs('AWS::SES::DedicatedIpPool', 2);
    for (const pool of POOLS) {
      const [poolId] = resourceStartingWith(template, 'AWS::SES::DedicatedIpPool', `RelayIpPoolsPool${pool.name}`);
      template.hasResourceProperties('AWS::SES::DedicatedIpPool', { PoolName: pool.name, ScalingMode: pool.scalingMode });
      const [, set] = resourceStartingWith(template, 'AWS::SES::ConfigurationSet', `RelayIpPoolsConfigurationSet${pool.name}`);
      expect(set.Properties).toMatchObject({
        DeliveryOptions: { SendingPoolName: { Ref: poolId } },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
    }
    // The deployment's own set (shared IPs) stays.
    template.resourceCountIs('AWS::SES::ConfigurationSet', 3);
  });

  it('tells api and deliver which configuration set each pool sends with', () => {
    for (const id of ['ApiFunction', 'DeliverFunction']) {
      const value = functionEnvironment(template, id)[ENV.sesIpPools];
      expect(value).toEqual({
        'Fn::Join': [
          '',
          [
            '{"transactional":"',
            { Ref: expect.stringMatching(/^RelayIpPoolsConfigurationSettransactional/) },
            '","bulk":"',
            { Ref: expect.stringMatching(/^RelayIpPoolsConfigurationSetbulk/) },
            '"}',
          ],
        ],
      });
    }
  });

  it('lets deliver send through the pool sets as well as the deployment set', () => {
    const resources = flatten(resourcesFor(roleStatements(template, 'DeliverFunction'), 'ses:SendRawEmail'));
    for (const prefix of ['RelayConfigurationSet', 'RelayIpPoolsConfigurationSettransactional', 'RelayIpPoolsConfigurationSetbulk']) {
      expect(resources).toMatch(new RegExp(`:configuration-set/",\\{"Ref":"${prefix}[0-9A-F]{8}"`));
    }
  });

  it("publishes the pool sets' events to the same SES events topic", () => {
    const [topicId] = resourceStartingWith(template, 'AWS::SNS::Topic', 'SesEventsTopic');
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 3);
    for (const prefix of ['RelayConfigurationSet', 'RelayIpPoolsConfigurationSettransactional', 'RelayIpPoolsConfigurationSetbulk']) {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: Match.stringLikeRegexp(`^${prefix}`) },
        EventDestination: Match.objectLike({ SnsDestination: { TopicARN: { Ref: topicId } } }),
      });
    }
  });
});

describe('dedicated IP pools with an existing configuration set', () => {
  const { template } = buildStack({ relay: { kind: 'ses', configurationSetName: 'transactional' }, dedicatedIpPools: [POOLS[1]!] });

  it("still records the pool set's events beside the existing set's", () => {
    template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    template.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 2);
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', { ConfigurationSetName: 'transactional' });
  });
});

describe('without dedicated IP pools', () => {
  const { template } = buildStack();

  it('creates none and sets no pool map', () => {
    template.resourceCountIs('AWS::SES::DedicatedIpPool', 0);
    expect(functionEnvironment(template, 'DeliverFunction')[ENV.sesIpPools]).toBeUndefined();
  });
});
