/**
 * One mailroom Lambda function from `FUNCTIONS`: bundled with esbuild into a single minified
 * ESM file with a source map of mappings only (AWS SDK v3 included, so its version is the one
 * in package-lock.json; bench/bundles.ts builds with the same settings), Node.js 22 on
 * Graviton, with X-Ray active tracing, the settings Powertools reads (service name, metrics
 * namespace, log level), its own log group and an execution role that starts with nothing but
 * permission to write to that log group and X-Ray.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lib/observability/metric-names.ts';
import { POWERTOOLS_ENV } from '../../lib/observability/powertools-env.ts';
import { FUNCTIONS, type FunctionName } from '../../lib/topology.ts';
import { DEFAULT_LOG_LEVEL, type LogLevel } from '../context-operations.ts';

/** Properties of a {@link BundledFunction}. */
export interface BundledFunctionProps {
  /** Which function of `FUNCTIONS` to build. */
  name: FunctionName;
  /** Folder holding package-lock.json and the `lambdas/` entries. */
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

// ESM output runs CommonJS dependencies (nodemailer, parts of the SDK) only if `require`
// exists; esbuild's ESM bundles have no `require` of their own, so define one. The alias
// keeps the import from colliding with names in the bundled code.
const REQUIRE_BANNER =
  "import { createRequire as __mailroomCreateRequire } from 'node:module'; const require = __mailroomCreateRequire(import.meta.url);";

// Left out of every bundle: `source-map`, which Handlebars' compiler loads only if it is there
// (inside a try, for source maps of precompiled templates, which mailroom never asks for);
// without it, it uses its own stand-in. 26 KB less code to load in the api and campaign functions.
const EXTERNAL_MODULES = ['source-map'];

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

    const lockFile = path.join(props.projectRoot, 'package-lock.json');
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(props.projectRoot, spec.entry),
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: lockFile,
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
        // Stack traces point into the TypeScript sources through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        // The names the stack's alarms and dashboard read (lib/observability/metric-names.ts).
        [POWERTOOLS_ENV.serviceName]: METRICS_SERVICE,
        [POWERTOOLS_ENV.metricsNamespace]: METRICS_NAMESPACE,
        [POWERTOOLS_ENV.logLevel]: props.logLevel ?? DEFAULT_LOG_LEVEL,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Mappings only, without a copy of every source file: a third of the size, which
        // `--enable-source-maps` reads and parses at every cold start. Stack traces still
        // name the TypeScript file and line.
        sourcesContent: false,
        // Bundle everything else, the AWS SDK v3 included: the runtime's copy changes without notice.
        externalModules: EXTERNAL_MODULES,
        ...(props.withConsole && {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (_inputDir: string, outputDir: string) => [
              `cd "${props.projectRoot}" && npx vite build --config console/vite.config.ts --outDir "${outputDir}/console" --emptyOutDir`,
            ],
          },
        }),
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
