import { Capture, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATES_PREFIX } from '#shared/certificates/keys';
import { EXPORTS_PREFIX } from '#shared/feed/keys';
import { ROSTER_REPORTS_PREFIX } from '#shared/roster-processing/keys';
import { synthesize } from './synth';

type Template = ReturnType<typeof synthesize>['template'];
type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, unknown> };

let template: Template;
let resources: Record<string, Resource>;
beforeAll(() => {
  template = synthesize().template;
  resources = template.toJSON().Resources as Record<string, Resource>;
});

/** The logical id of the function deployed from `functions/<name>/handler.ts`. */
function functionId(name: string): string {
  const found = Object.entries(resources).find(
    ([, resource]) =>
      resource.Type === 'AWS::Lambda::Function' &&
      resource.Metadata?.['laowu:entry'] === `functions/${name}/handler.ts`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found[0];
}

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: string): { Action: string | string[]; Resource: unknown }[] {
  const fn = resources[functionId(name)];
  if (!fn) throw new Error(`no function ${name}`);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter(
      (resource) =>
        resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(role),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: never[] }).Statement);
}

const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The object key patterns (after the bucket ARN) a function may use an S3 action on. */
function s3Grants(name: string): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const statement of statementsOf(name)) {
    const s3Actions = actionsOf(statement).filter((action) => action.startsWith('s3:'));
    if (s3Actions.length === 0) continue;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources) {
      const json = JSON.stringify(resource);
      const suffix = /"(\/[^"]*)"\]\]\}$/.exec(json)?.[1] ?? '(bucket)';
      for (const action of s3Actions) grants[action] = [...(grants[action] ?? []), suffix];
    }
  }
  return grants;
}

describe('the publishing routes', () => {
  it('put the JWT authorizer on the feed and the download routes, and none on certificate verification', () => {
    const routes = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::ApiGatewayV2::Route',
    );
    const authorization = Object.fromEntries(
      routes.map((route) => [route.Properties.RouteKey, route.Properties.AuthorizationType ?? 'NONE']),
    );
    expect(authorization).toMatchObject({
      'GET /v1/feed/certified': 'JWT',
      'GET /v1/cases/{caseId}/forms/application.docx': 'JWT',
      'GET /v1/cases/{caseId}/rosters/{slot}/error-report': 'JWT',
      'GET /v1/cases/{caseId}/certificate.svg': 'JWT',
      'GET /v1/certificates/{certificateNo}': 'NONE',
    });
  });

  it('let browsers read the ETag, the file name and the feed cursor headers', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        ExposeHeaders: Match.arrayWith(['etag', 'content-disposition', 'x-next-cursor']),
      }),
    });
  });
});

describe('exports and documents in the evidence bucket', () => {
  it('live outside the prefix whose objects trigger intake', () => {
    const filter = new Capture();
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [Match.objectLike({ Filter: { Key: { FilterRules: [filter] } } })],
      },
    });
    const intakePrefix = (filter.asObject() as { Value: string }).Value;
    expect(intakePrefix).toBe('rounds/');
    for (const prefix of [EXPORTS_PREFIX, CERTIFICATES_PREFIX, ROSTER_REPORTS_PREFIX]) {
      expect(prefix.startsWith(intakePrefix), prefix).toBe(false);
      expect(intakePrefix.startsWith(prefix), prefix).toBe(false);
    }
  });

  it('are written only under their own prefixes: the snapshot by both publishing steps, documents by certify', () => {
    expect(s3Grants('certify')).toEqual({ 's3:PutObject': ['/exports/*', '/certificates/*'] });
    expect(s3Grants('record-province-decision')).toEqual({ 's3:PutObject': ['/exports/*'] });
  });

  it('are read by the cases API only under reports/rosters/ and certificates/', () => {
    const grants = s3Grants('cases-api');
    expect(grants['s3:GetObject']).toEqual(['/reports/rosters/*', '/certificates/*']);
    expect(Object.keys(grants).filter((action) => /Get|List/.test(action))).toEqual(['s3:GetObject']);
  });

  it('give the province feed read-only table access and nothing of the bucket', () => {
    const actions = statementsOf('feed-api').flatMap(actionsOf);
    expect(actions).toContain('dynamodb:Query');
    expect(
      actions.filter((action) => /dynamodb:(Put|Update|Delete|BatchWrite)|dynamodb:Scan|^s3:/.test(action)),
    ).toEqual([]);
  });
});

describe('the certificate verification URL', () => {
  const publicBaseUrl = () => {
    const fn = resources[functionId('certify')];
    return (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables
      .PUBLIC_BASE_URL;
  };

  it('is the HTTP API’s own endpoint when no publicBaseUrl is given', () => {
    expect(publicBaseUrl()).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ApiHttpApi/), 'ApiEndpoint'],
    });
  });

  it('comes from the publicBaseUrl context when given', () => {
    const configured = synthesize({ publicBaseUrl: 'https://laowu.example.gov.cn' });
    const variables = Object.values(configured.template.findResources('AWS::Lambda::Function')).find(
      (fn) => fn.Metadata?.['laowu:entry'] === 'functions/certify/handler.ts',
    )?.Properties.Environment.Variables;
    expect(variables.PUBLIC_BASE_URL).toBe('https://laowu.example.gov.cn');
  });
});
