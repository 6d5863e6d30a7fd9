/**
 * One mailroom Lambda function from `FUNCTIONS`: bundled with esbuild at synth, without Docker,
 * into minified ESM chunks with source maps of mappings only (cdk/bundling.ts, which
 * bench/bundles.ts builds with too), Node.js 22 on Graviton, with X-Ray active tracing, the settings Powertools reads (service name, metrics
 * namespace, log level), its own log group and an execution role that starts with nothing but
 * permission to write to that log group and X-Ray.
 */
import { AssetHashType, DockerImage, Duration, Validations, type ILocalBundling } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { lambdaBuildOptions } from '../bundling.ts';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lib/observability/metric-names.ts';
import { POWERTOOLS_ENV } from '../../lib/observability/powertools-env.ts';
import { FUNCTIONS, type FunctionName } from '../../lib/topology.ts';
import { DEFAULT_LOG_LEVEL, type LogLevel } from '../context-operations.ts';

/** Properties of a {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** Which function of `FUNCTIONS` to build. */
  name: FunctionName;
  /** The project's folder: the `lambdas/` entries and the node_modules they bundle. */
  projectRoot: string;
  /** Environment variables (names from `ENV`). */
  environment: Record<string, string>;
  /** How long the function's logs are kept. @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
  /** Concurrent executions reserved for the function, which also caps it. @default none reserved */
  reservedConcurrentExecutions?: number;
  /** The Powertools logger's level (POWERTOOLS_LOG_LEVEL). @default DEFAULT_LOG_LEVEL */
  logLevel?: LogLevel;
  /**
   * Builds the web console (console/, with Vite) into the bundle's `console/` folder, which the
   * api function serves at `/console/`. @default false
   */
  withConsole?: boolean;
}

// The Lambda runtime; see the AwsSolutions-L1 acknowledgement below for why not the newest.
const RUNTIME = Runtime.NODEJS_22_X;

/**
 * Bundles a function on this machine with esbuild (cdk/bundling.ts) into the asset's folder,
 * then, for the api, builds the web console into its `console/` folder. Its fields are part of
 * the CDK's cache key of the asset, so that no two functions share one bundle.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(
    readonly projectRoot: string,
    readonly entry: string,
    readonly withConsole: boolean,
  ) {}

  tryBundle(outputDir: string): boolean {
    buildSync(lambdaBuildOptions(this.projectRoot, this.entry, outputDir));
    if (this.withConsole) {
      // Vite's output on stderr: stdout is the CDK's.
      execFileSync('npx', ['vite', 'build', '--config', 'console/vite.config.ts', '--outDir', `${outputDir}/console`, '--emptyOutDir'], {
        cwd: this.projectRoot,
        stdio: ['ignore', process.stderr, 'inherit'],
      });
    }
    return true;
  }
}

/** A bundled Node.js Lambda function with its own log group and least-privilege role. */
export class BundledFunction extends Construct {
  /** The function. */
  readonly function: IFunction;
  /** Its execution role; grant further permissions to it. */
  readonly role: IRole;
  /** Which function of `FUNCTIONS` it is. */
  readonly name: FunctionName;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const spec = FUNCTIONS[props.name];

    const logGroup = new LogGroup(this, 'Logs', {
      // Kept after a stack deletion (the CDK default) for audit; events expire with the retention.
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    // An own role instead of the default one, which attaches the AWSLambdaBasicExecutionRole
    // managed policy (logs on every log group in the account).
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the mailroom ${props.name} function`,
    });
    logGroup.grantWrite(role);

    this.function = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(props.projectRoot, {
        // The hash of the bundle, which changes with the sources it was built from; stacks
        // excluded from bundling (`aws:cdk:bundling-stacks`) get a stand-in hash, unbundled.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          local: new EsbuildBundling(props.projectRoot, spec.entry, props.withConsole ?? false),
          // Never used: the local bundling above always builds or throws.
          image: DockerImage.fromRegistry('unused'),
        },
      }),
      handler: 'index.handler',
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      // Segments for every invocation, continued from the caller's trace header where AWS
      // passes one (API Gateway does not for HTTP APIs; SQS does).
      tracing: Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions !== undefined && { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      environment: {
        ...props.environment,
        // Stack traces point into the TypeScript sources through the bundled source maps.
        NODE_OPTIONS: '--enable-source-maps',
        // The names the stack's alarms and dashboard read (lib/observability/metric-names.ts).
        [POWERTOOLS_ENV.serviceName]: METRICS_SERVICE,
        [POWERTOOLS_ENV.metricsNamespace]: METRICS_NAMESPACE,
        [POWERTOOLS_ENV.logLevel]: props.logLevel ?? DEFAULT_LOG_LEVEL,
      },
    });
    this.role = role;
    this.name = props.name;

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        "Node.js 22, an LTS line Lambda supports, is pinned on purpose: mailroom's local mode and test suite run on Node.js 20/22 (package.json engines >=20), not yet 24, so Lambda runs the major line that was tested. Move to nodejs24.x together with the local toolchain.",
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing grants xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions; they only write trace data. (test/cdk checks that these are the only actions on * besides ses:GetAccount.)',
    });
  }
}
