/**
 * Scheduled sends in the stack: mailroom's EventBridge Scheduler group, the role its schedules
 * assume (send to the send queue, nothing else), and what the api function may do with them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lib/env.ts';
import { buildStack, removeSynthOutput } from './stack-fixture.ts';
import {
  flatten,
  functionEnvironment,
  referencedId,
  resourcesFor,
  resourceStartingWith,
  roleStatements,
  type Resource,
} from './template-queries.ts';

afterAll(removeSynthOutput);

const FUNCTIONS = [
  'ApiFunction',
  'DeliverFunction',
  'StreamFunction',
  'ExportFunction',
  'CampaignFunction',
  'TrackFunction',
  'SesEventsFunction',
];

describe('scheduled sends', () => {
  const { template } = buildStack();
  const [, group] = resourceStartingWith(template, 'AWS::Scheduler::ScheduleGroup', 'SendSchedulesGroup');
  const [roleId, role] = resourceStartingWith(template, 'AWS::IAM::Role', 'SendSchedulesRole');
  // The transactional send queue (not the bulk queue, not the DLQ).
  const sendQueueId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => /^SendQueue[0-9A-F]{8}$/.test(id))!;

  it('keeps the schedules in a group of their own, named after the stack', () => {
    expect(group.Properties).toEqual({ Name: 'Mailroom-sends' });
    expect(functionEnvironment(template, 'ApiFunction')[ENV.scheduleGroup]).toBe('Mailroom-sends');
    expect(referencedId(functionEnvironment(template, 'ApiFunction')[ENV.schedulerRoleArn])).toBe(roleId);
  });

  it("has the schedules assume a role only EventBridge Scheduler may assume, for this account's group", () => {
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/^SendSchedulesGroup/), 'Arn'] },
            },
          },
        },
      ],
    });
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('lets that role send to the send queue and do nothing else', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter((policy) =>
      (policy.Properties.Roles as unknown[]).some((r) => referencedId(r) === roleId),
    );
    expect(policies.map((policy) => policy.Properties.PolicyDocument)).toEqual([
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [sendQueueId, 'Arn'] } }],
      },
    ]);
  });

  it("lets the api create and delete the group's schedules, and pass the role to EventBridge Scheduler only", () => {
    const api = roleStatements(template, 'ApiFunction');
    const scheduler = api.filter((s) => s.actions.some((a) => a.startsWith('scheduler:')));
    expect(scheduler.map((s) => s.actions)).toEqual([['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']]);
    expect(flatten(scheduler[0]!.resources)).toBe(
      flatten([
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':schedule/Mailroom-sends/*',
            ],
          ],
        },
      ]),
    );
    expect(resourcesFor(api, 'iam:PassRole').map(referencedId)).toEqual([roleId]);
    // The api's policy may have overflowed into managed policies: look in all of them.
    const documents = [
      ...Object.entries(template.findResources('AWS::IAM::Policy') as Record<string, Resource>),
      ...Object.entries(template.findResources('AWS::IAM::ManagedPolicy') as Record<string, Resource>),
    ]
      .filter(([id]) => id.startsWith('ApiFunctionRole'))
      .map(([, resource]) => resource.Properties.PolicyDocument as { Statement: { Action: unknown; Condition?: unknown }[] });
    const passRole = documents.flatMap((d) => d.Statement).find((s) => s.Action === 'iam:PassRole');
    expect(passRole?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('gives no other function a scheduler permission or the role', () => {
    for (const id of FUNCTIONS.filter((f) => f !== 'ApiFunction')) {
      if (!Object.keys(template.findResources('AWS::IAM::Policy')).some((p) => p.startsWith(`${id}RoleDefaultPolicy`))) continue;
      const statements = roleStatements(template, id);
      expect(statements.flatMap((s) => s.actions).filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    }
  });
});
