/**
 * The public HTTPS entry point: an API Gateway HTTP API whose `ANY /v1/{proxy+}` route invokes
 * the api function and whose link routes (`/t/…`, `/u/…`) invoke the track function, with
 * JSON access logs and default-stage throttling. No route has an authorizer: the api function
 * authenticates API keys itself, route by route, and serves `GET /v1/openapi.json` without one.
 */
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi as HttpApiL2, HttpMethod, HttpStage, LogGroupLogDestination, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of a {@link HttpApi}. */
export interface HttpApiProps {
  /** The function behind every `/v1/` route. */
  handler: IFunction;
  /**
   * The function behind the public link routes (`GET /t/…` for clicks, opens and conversions;
   * `GET` and `POST /u/…` for unsubscribes), which carry signed tokens instead of API keys.
   */
  publicHandler?: IFunction;
  /** Default-stage throttling for all routes. @default {@link DEFAULT_THROTTLE} */
  throttle?: ThrottleSettings;
  /** How long access logs are kept. @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
}

/**
 * Requests per second (steady and burst) across all clients. Protects the account's Lambda
 * concurrency and the downstream relay from a runaway client; raise it for real volume.
 */
export const DEFAULT_THROTTLE: Required<ThrottleSettings> = { rateLimit: 100, burstLimit: 200 };

// Fields HTTP APIs support ($context variables); one JSON object per request. No headers or
// bodies: they carry API keys and recipients.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    httpMethod: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    protocol: '$context.protocol',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/** The mailroom HTTP API. */
export class HttpApi extends Construct {
  /** The API's base URL (`https://…/`), without a stage path. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    const api = new HttpApiL2(this, 'Api', {
      description: 'mailroom: send mail, read messages, events and reports',
      // The default stage is created below with access logging and throttling, which the
      // automatically created one cannot have.
      createDefaultStage: false,
    });

    api.addRoutes({
      path: '/v1/{proxy+}',
      methods: [HttpMethod.ANY],
      integration: new HttpLambdaIntegration('Api', props.handler),
    });

    if (props.publicHandler) {
      const links = new HttpLambdaIntegration('Links', props.publicHandler);
      api.addRoutes({ path: '/t/{proxy+}', methods: [HttpMethod.GET], integration: links });
      api.addRoutes({ path: '/u/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST], integration: links });
    }

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    this.url = stage.url;
  }
}
