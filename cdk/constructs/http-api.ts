/**
 * The public HTTPS entry point: an API Gateway HTTP API whose `ANY /v1/{proxy+}` route invokes
 * the api function (as do `GET /console` and `GET /console/{proxy+}`, the web console) and whose link routes (`/t/…`, `/u/…`) invoke the track function, with
 * JSON access logs, the stage's default throttle for the API and a throttle of their own for
 * each link route, so that a flood of link fetches never turns the API's callers away; mapped to
 * a custom domain when one is given. No route has an authorizer: the api function authenticates
 * API keys itself, route by route, and serves `GET /v1/openapi.json` without one.
 */
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CfnStage,
  HttpApi as HttpApiL2,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type IDomainName,
  type IHttpApi,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_API_THROTTLE, DEFAULT_PUBLIC_LINKS_THROTTLE } from '../context-limits.ts';

/** Properties of a {@link HttpApi}. */
export interface HttpApiProps {
  /** The function behind every `/v1/` route. */
  handler: IFunction;
  /**
   * The function behind the public link routes (`GET /t/…` for clicks, opens and conversions;
   * `GET` and `POST /u/…` for unsubscribes), which carry signed tokens instead of API keys.
   */
  publicHandler?: IFunction;
  /** Default-stage throttling, which the `/v1` routes use. @default {@link DEFAULT_API_THROTTLE} */
  throttle?: ThrottleSettings;
  /** Throttling of each public link route, in place of the stage's. @default {@link DEFAULT_PUBLIC_LINKS_THROTTLE} */
  linksThrottle?: ThrottleSettings;
  /** How long access logs are kept. @default RetentionDays.ONE_MONTH */
  logRetention?: RetentionDays;
  /** A custom domain whose root maps to the default stage. @default none */
  domainName?: IDomainName;
}

/** The route keys of the public links. */
export const LINK_ROUTE_KEYS = ['GET /t/{proxy+}', 'GET /u/{proxy+}', 'POST /u/{proxy+}'] as const;

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
  /** The API's own base URL (`https://…execute-api…/`), without a stage path; it keeps working beside a custom domain. */
  readonly url: string;
  /** The API, for its metrics. */
  readonly api: IHttpApi;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    const api = new HttpApiL2(this, 'Api', {
      description: 'mailroom: send mail, read messages, events and reports',
      // The default stage is created below with access logging and throttling, which the
      // automatically created one cannot have.
      createDefaultStage: false,
    });

    const apiIntegration = new HttpLambdaIntegration('Api', props.handler);
    api.addRoutes({ path: '/v1/{proxy+}', methods: [HttpMethod.ANY], integration: apiIntegration });
    // The web console's page and assets, served by the api function from its bundle.
    api.addRoutes({ path: '/console', methods: [HttpMethod.GET], integration: apiIntegration });
    api.addRoutes({ path: '/console/{proxy+}', methods: [HttpMethod.GET], integration: apiIntegration });

    const linkRoutes = props.publicHandler
      ? (() => {
          const links = new HttpLambdaIntegration('Links', props.publicHandler);
          return [
            ...api.addRoutes({ path: '/t/{proxy+}', methods: [HttpMethod.GET], integration: links }),
            ...api.addRoutes({ path: '/u/{proxy+}', methods: [HttpMethod.GET, HttpMethod.POST], integration: links }),
          ];
        })()
      : [];

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? DEFAULT_API_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
      ...(props.domainName && { domainMapping: { domainName: props.domainName } }),
    });
    if (linkRoutes.length) {
      // Route settings override the stage's throttle per route; the routes must exist first.
      // The property is untyped (a map), so its entries take CloudFormation's own names.
      const links = props.linksThrottle ?? DEFAULT_PUBLIC_LINKS_THROTTLE;
      const cfnStage = stage.node.defaultChild as CfnStage;
      cfnStage.routeSettings = Object.fromEntries(
        LINK_ROUTE_KEYS.map((key) => [key, { ThrottlingRateLimit: links.rateLimit, ThrottlingBurstLimit: links.burstLimit }]),
      );
      for (const route of linkRoutes) cfnStage.node.addDependency(route);
    }
    this.url = stage.url;
    this.api = api;
  }
}
