/**
 * SES dedicated IP pools, each with the configuration set that sends through it: a tenant whose
 * `ip_pool` names a pool sends with that pool's set; every other tenant sends with the
 * deployment's own set, over SES's shared IPs.
 */
import { Stack } from 'aws-cdk-lib';
import { ConfigurationSet, DedicatedIpPool, ScalingMode } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { ENV } from '../../lib/env.ts';
import type { DedicatedIpPoolProps } from '../context.ts';

/** Properties of {@link DedicatedIpPools}. */
export interface DedicatedIpPoolsProps {
  /** The pools to create (at least one). */
  pools: readonly DedicatedIpPoolProps[];
}

/** One SES dedicated IP pool and one configuration set per configured pool. */
export class DedicatedIpPools extends Construct {
  /** Configuration set name by pool name. */
  readonly configurationSetNames: Readonly<Record<string, string>>;
  /** `MAILROOM_SES_IP_POOLS`: JSON `{"<pool>": "<configuration set>"}`. */
  readonly environment: Record<string, string>;

  constructor(scope: Construct, id: string, props: DedicatedIpPoolsProps) {
    super(scope, id);
    const names: Record<string, string> = {};
    for (const pool of props.pools) {
      const ipPool = new DedicatedIpPool(this, `Pool-${pool.name}`, {
        // The pool keeps its name: dedicated IPs are placed in it (STANDARD) by that name.
        dedicatedIpPoolName: pool.name,
        scalingMode: pool.scalingMode === 'MANAGED' ? ScalingMode.MANAGED : ScalingMode.STANDARD,
      });
      const configurationSet = new ConfigurationSet(this, `ConfigurationSet-${pool.name}`, {
        dedicatedIpPool: ipPool,
        reputationMetrics: true,
      });
      names[pool.name] = configurationSet.configurationSetName;
    }
    this.configurationSetNames = names;
    this.environment = { [ENV.sesIpPools]: Stack.of(this).toJsonString(names) };
  }
}
