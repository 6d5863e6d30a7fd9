/**
 * Where messages due more than 15 minutes ahead wait in AWS: an EventBridge Scheduler schedule
 * group for mailroom's one-time schedules, and the role those schedules assume, which may send
 * messages to the send queue and do nothing else. `grantSchedule` lets a function create and
 * delete schedules in the group and hand them that role, and nothing more.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link SendSchedules}. */
export interface SendSchedulesProps {
  /** The queue the schedules put delivery jobs on (the transactional send queue). */
  queue: IQueue;
}

/** mailroom's schedule group and the schedules' role. */
export class SendSchedules extends Construct {
  /** Name of the schedule group: `<stack name>-sends`. */
  readonly groupName: string;
  /** The role the schedules assume: sqs:SendMessage on the send queue, nothing else. */
  readonly role: IRole;
  /** Every schedule in the group. */
  private readonly scheduleArns: string;

  constructor(scope: Construct, id: string, props: SendSchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // A name of its own (not generated), so that functions and policies can name the group's schedules.
    this.groupName = `${stack.stackName}-sends`;
    const group = new ScheduleGroup(this, 'Group', { scheduleGroupName: this.groupName });
    this.scheduleArns = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    this.role = new Role(this, 'Role', {
      description: "Assumed by mailroom's one-time schedules to put a delivery job on the send queue",
      // Only schedules of this group, in this account, may assume it (confused-deputy protection).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': group.scheduleGroupArn },
        },
      }),
    });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.queue.queueArn] }));
  }

  /** Lets `role` create and delete the group's schedules and pass them the schedules' role (the api). */
  grantSchedule(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'], resources: [this.scheduleArns] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // How cdk-nag prints the pattern: pseudo parameters in angle brackets.
    const finding = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.groupName}/*`;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${finding}]`,
      reason: `Schedules are made at run time, one per message scheduled more than 15 minutes ahead, and named by the message id; the grant covers only the schedules of mailroom's own group ${this.groupName}.`,
    });
  }
}
