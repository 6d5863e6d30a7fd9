/** A grant on the objects of one bucket, with the cdk-nag acknowledgement its `/*` resource needs. */
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * Lets `role` take `actions` on every object of `bucket` whose key starts with `prefix` (all of
 * them by default). Object keys are made at run time, so the resource is `<bucket>/<prefix>*`;
 * `reason` tells cdk-nag (IAM5) why that is all the role's part of the bucket holds.
 */
export function grantBucketObjects(bucket: IBucket, role: IRole, actions: string[], reason: string, prefix = ''): void {
  role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects(`${prefix}*`)] }));
  const stack = Stack.of(bucket);
  const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnBucket)) as string;
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`, reason });
}
