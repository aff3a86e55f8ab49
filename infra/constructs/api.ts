import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CERTIFICATES_PREFIX } from '#shared/certificates/keys';
import { EXPORTS_PREFIX } from '#shared/feed/keys';
import { API_FUNCTIONS, type ApiFunctionName, ROUTES } from '#shared/http/routes';
import { ROSTER_REPORTS_PREFIX } from '#shared/roster-processing/keys';
import { LaowuFunction } from '../laowu-function';
import type { Storage } from './storage';

export interface ApiProps {
  readonly storage: Storage;
  readonly stateMachine: StateMachine;
  /** OIDC issuer URL of the identity provider whose JWTs the API accepts. */
  readonly issuer: string;
  /** Accepted `aud` values. */
  readonly audience: string[];
  readonly allowedOrigins: string[];
  /**
   * The workflow steps that publish what the API serves: `certify` writes the certificate document
   * (its QR code points at this API's verification route) and both refresh the feed's export snapshot.
   */
  readonly publishers: { certify: LaowuFunction; recordProvinceDecision: LaowuFunction };
}

/** Read access granted to the cases API inside the evidence bucket: report and certificate downloads. */
export const CASES_API_READABLE_PREFIXES = [ROSTER_REPORTS_PREFIX, CERTIFICATES_PREFIX] as const;

/**
 * The `/v1` HTTP API: a JWT authorizer on every route except the public allowlist of
 * `shared/http/routes.ts`, stage throttling, JSON access logs with no personal data.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly functions: Record<ApiFunctionName, LaowuFunction>;
  /** Routes without the authorizer, by contract (`access: 'public'` in the route table). */
  readonly publicRoutes: HttpRoute[] = [];
  /** The base URL printed (as a QR code) on certificates for their public verification. */
  readonly publicBaseUrl: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { storage } = props;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
        allowHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'accept'],
        exposeHeaders: ['etag', 'content-disposition', 'x-next-cursor', 'x-has-more'],
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Only request metadata: no bodies, no query strings, no claims.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const authorizer = new HttpJwtAuthorizer('Jwt', props.issuer, { jwtAudience: props.audience });

    const casesApi = new LaowuFunction(this, 'CasesApi', { functionName: 'cases-api' });
    storage.bindCases(casesApi, 'readWrite');
    storage.bindEvidence(casesApi, 'put');
    casesApi.addEnvironment('STATE_MACHINE_ARN', props.stateMachine.stateMachineArn);
    props.stateMachine.grantStartExecution(casesApi);
    // A resubmission answers the applicant's supplement request, a callback of the workflow.
    casesApi.addToRolePolicy(sendTaskPolicy());

    // Downloads: the roster error reports (presigned GET) and certificate documents, nothing else of
    // the bucket; the scores table for the expert panel's aggregate on the official form.
    casesApi.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: CASES_API_READABLE_PREFIXES.map((prefix) => storage.evidence.arnForObjects(`${prefix}*`)),
      }),
    );
    storage.key.grantDecrypt(casesApi);
    storage.bindScores(casesApi, 'read');

    const tasksApi = new LaowuFunction(this, 'TasksApi', { functionName: 'tasks-api' });
    storage.bindCases(tasksApi, 'readWrite');
    storage.bindScores(tasksApi, 'readWrite');
    // SendTask* takes no resource-level permission: a token is only valid for its own execution.
    tasksApi.addToRolePolicy(sendTaskPolicy());

    // Rounds: dashboard and ranking (reads), the selection (resolves the cases waiting for it),
    // publicity and objections (public).
    const roundsApi = new LaowuFunction(this, 'RoundsApi', { functionName: 'rounds-api' });
    storage.bindCases(roundsApi, 'readWrite');
    storage.bindScores(roundsApi, 'read');

    roundsApi.addToRolePolicy(sendTaskPolicy());

    // The province's certified feed: reads only.
    const feedApi = new LaowuFunction(this, 'FeedApi', { functionName: 'feed-api' });
    storage.bindCases(feedApi, 'read');

    this.functions = {
      'cases-api': casesApi,
      'tasks-api': tasksApi,
      'rounds-api': roundsApi,
      'feed-api': feedApi,
    };
    for (const name of API_FUNCTIONS) this.functions[name].addEnvironment('API_FUNCTION', name);

    const integrations = Object.fromEntries(
      API_FUNCTIONS.map((name) => [
        name,
        new HttpLambdaIntegration(`${name}-integration`, this.functions[name]),
      ]),
    ) as Record<ApiFunctionName, HttpLambdaIntegration>;

    for (const route of ROUTES) {
      const [method, path] = route.routeKey.split(' ') as [HttpMethod, string];
      const httpRoute = new HttpRoute(this, `Route-${route.routeKey.replace(/[^A-Za-z0-9]+/g, '-')}`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(path, method),
        integration: integrations[route.fn],
        ...(route.access === 'jwt' ? { authorizer } : {}),
      });
      if (route.access === 'public') this.publicRoutes.push(httpRoute);
    }

    // The certificate's QR code points at the public verification route: at `publicBaseUrl` (CDK
    // context, e.g. the console's domain proxying /v1) when given, else at this API's own endpoint.
    const context = this.node.tryGetContext('publicBaseUrl');
    this.publicBaseUrl =
      typeof context === 'string' && context.length > 0 ? context : this.httpApi.apiEndpoint;
    const { certify, recordProvinceDecision } = props.publishers;
    certify.addEnvironment('PUBLIC_BASE_URL', this.publicBaseUrl);
    casesApi.addEnvironment('PUBLIC_BASE_URL', this.publicBaseUrl);
    grantObjectWrites(storage, certify, [EXPORTS_PREFIX, CERTIFICATES_PREFIX]);
    grantObjectWrites(storage, recordProvinceDecision, [EXPORTS_PREFIX]);
  }

  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}

/** Completing a task: SendTask* takes no resource-level permission (a token is valid for its own execution only). */
function sendTaskPolicy(): PolicyStatement {
  return new PolicyStatement({
    actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
    resources: ['*'],
  });
}

/**
 * `s3:PutObject` under the given prefixes of the evidence bucket only (the feed's export snapshot,
 * certificate documents) — never the upload prefix, whose objects trigger intake. The data key is
 * already granted with the cases table.
 */
function grantObjectWrites(storage: Storage, fn: LaowuFunction, prefixes: readonly string[]) {
  fn.addEnvironment('EVIDENCE_BUCKET', storage.evidence.bucketName);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:PutObject'],
      resources: prefixes.map((prefix) => storage.evidence.arnForObjects(`${prefix}*`)),
    }),
  );
  storage.key.grantEncryptDecrypt(fn);
}
