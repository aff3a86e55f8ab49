// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub templates, not JavaScript ones
import { describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  createResolver,
  dnsSafeBucketName,
  type Json,
  readableName,
  TemplateResolutionError,
} from '#local/template';

/** A small template with one resource of each kind the local cloud names. */
const template: CfnTemplate = {
  Parameters: {
    Stage: { Type: 'String', Default: 'dev' },
    Secret: { Type: 'String' },
  },
  Resources: {
    StorageCases45136476: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
    NamedTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: { TableName: { 'Fn::Sub': '${AWS::StackName}-named' } },
    },
    StorageEvidence5DF572C9: { Type: 'AWS::S3::Bucket', Properties: {} },
    ApiCasesApi72C6FEFF: { Type: 'AWS::Lambda::Function', Properties: {} },
    WorkflowCaseWorkflow46AD7670: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
    StorageDataKeyE15BA43B: { Type: 'AWS::KMS::Key', Properties: {} },
    IntakeDeadLetters84F6C129: { Type: 'AWS::SQS::Queue', Properties: {} },
    ExecutionLogsE67184FE: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    SomethingElse: { Type: 'AWS::AppSync::GraphQLApi', Properties: {} },
  },
};

const resolveIn = (value: Json, options = {}) => createResolver(template, options).resolve(value, 'test');

describe('intrinsic functions', () => {
  it('Ref resolves pseudo parameters to local values', () => {
    expect(
      resolveIn([
        { Ref: 'AWS::Partition' },
        { Ref: 'AWS::Region' },
        { Ref: 'AWS::AccountId' },
        { Ref: 'AWS::URLSuffix' },
        { Ref: 'AWS::StackName' },
      ]),
    ).toEqual(['aws', 'us-east-1', '000000000000', 'amazonaws.com', 'Laowu']);
  });

  it('takes the region and stack name from the options', () => {
    expect(
      resolveIn([{ Ref: 'AWS::Region' }, { Ref: 'AWS::StackName' }], {
        region: 'cn-north-1',
        stackName: 'Other',
      }),
    ).toEqual(['cn-north-1', 'Other']);
  });

  it('Ref resolves parameters to the given value, else the default, else throws', () => {
    expect(resolveIn({ Ref: 'Stage' })).toBe('dev');
    expect(resolveIn({ Ref: 'Stage' }, { parameters: { Stage: 'test' } })).toBe('test');
    expect(() => resolveIn({ Ref: 'Secret' })).toThrow(/parameter "Secret" has no value/);
  });

  it('Ref resolves resources to their local physical id', () => {
    expect(
      resolveIn({
        table: { Ref: 'StorageCases45136476' },
        named: { Ref: 'NamedTable' },
        bucket: { Ref: 'StorageEvidence5DF572C9' },
        fn: { Ref: 'ApiCasesApi72C6FEFF' },
        machine: { Ref: 'WorkflowCaseWorkflow46AD7670' },
        queue: { Ref: 'IntakeDeadLetters84F6C129' },
      }),
    ).toEqual({
      table: 'laowu-storage-cases',
      named: 'Laowu-named',
      bucket: 'laowu-storage-evidence',
      fn: 'ApiCasesApi72C6FEFF',
      machine: 'arn:aws:states:us-east-1:000000000000:stateMachine:WorkflowCaseWorkflow46AD7670',
      queue: 'https://sqs.us-east-1.amazonaws.com/000000000000/Laowu-IntakeDeadLetters84F6C129',
    });
  });

  it('Fn::GetAtt resolves both forms to local ARNs', () => {
    expect(
      resolveIn([
        { 'Fn::GetAtt': ['ApiCasesApi72C6FEFF', 'Arn'] },
        { 'Fn::GetAtt': 'WorkflowCaseWorkflow46AD7670.Arn' },
        { 'Fn::GetAtt': ['StorageCases45136476', 'Arn'] },
        { 'Fn::GetAtt': ['StorageEvidence5DF572C9', 'Arn'] },
        { 'Fn::GetAtt': ['IntakeDeadLetters84F6C129', 'Arn'] },
      ]),
    ).toEqual([
      'arn:aws:lambda:us-east-1:000000000000:function:ApiCasesApi72C6FEFF',
      'arn:aws:states:us-east-1:000000000000:stateMachine:WorkflowCaseWorkflow46AD7670',
      'arn:aws:dynamodb:us-east-1:000000000000:table/laowu-storage-cases',
      'arn:aws:s3:::laowu-storage-evidence',
      'arn:aws:sqs:us-east-1:000000000000:Laowu-IntakeDeadLetters84F6C129',
    ]);
  });

  it('gives KMS keys and log groups placeholder ARNs that stay the same between runs', () => {
    const first = resolveIn([
      { 'Fn::GetAtt': ['StorageDataKeyE15BA43B', 'Arn'] },
      { 'Fn::GetAtt': ['ExecutionLogsE67184FE', 'Arn'] },
    ]);
    const second = resolveIn([
      { 'Fn::GetAtt': ['StorageDataKeyE15BA43B', 'Arn'] },
      { 'Fn::GetAtt': ['ExecutionLogsE67184FE', 'Arn'] },
    ]);
    expect(first).toEqual(second);
    expect(first).toEqual([
      expect.stringMatching(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/),
      'arn:aws:logs:us-east-1:000000000000:log-group:/local/Laowu/ExecutionLogsE67184FE:*',
    ]);
  });

  it('Fn::Join joins resolved parts', () => {
    expect(
      resolveIn({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke']] }),
    ).toBe('arn:aws:states:::lambda:invoke');
    expect(resolveIn({ 'Fn::Join': [',', { 'Fn::Split': ['|', 'a|b'] }] })).toBe('a,b');
  });

  it('Fn::Sub replaces pseudo parameters, resources, attributes and keeps ${!literals}', () => {
    expect(
      resolveIn({
        'Fn::Sub':
          'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}/${StorageEvidence5DF572C9}/${ApiCasesApi72C6FEFF.Arn}/${!Literal}',
      }),
    ).toBe(
      'arn:aws:x:us-east-1:000000000000/laowu-storage-evidence/arn:aws:lambda:us-east-1:000000000000:function:ApiCasesApi72C6FEFF/${Literal}',
    );
  });

  it('Fn::Sub with a variable map resolves the variables first', () => {
    expect(
      resolveIn({
        'Fn::Sub': ['${Name}-${Stage}-${AWS::Region}', { Name: { Ref: 'StorageCases45136476' } }],
      }),
    ).toBe('laowu-storage-cases-dev-us-east-1');
  });

  it('Fn::Select picks from a literal or resolved list', () => {
    expect(resolveIn({ 'Fn::Select': [1, ['a', 'b', 'c']] })).toBe('b');
    expect(
      resolveIn({
        'Fn::Select': ['0', { 'Fn::Split': [':', { 'Fn::GetAtt': ['ApiCasesApi72C6FEFF', 'Arn'] }] }],
      }),
    ).toBe('arn');
    expect(() => resolveIn({ 'Fn::Select': [3, ['a']] })).toThrow(/outside the list/);
  });

  it('Fn::Split splits a resolved string', () => {
    expect(resolveIn({ 'Fn::Split': ['/', { 'Fn::GetAtt': ['StorageCases45136476', 'Arn'] }] })).toEqual([
      'arn:aws:dynamodb:us-east-1:000000000000:table',
      'laowu-storage-cases',
    ]);
  });

  it('leaves plain values and nested objects as they are, resolving inside them', () => {
    expect(resolveIn({ a: 1, b: [true, null, { c: { Ref: 'AWS::Region' } }], d: 'x' })).toEqual({
      a: 1,
      b: [true, null, { c: 'us-east-1' }],
      d: 'x',
    });
  });
});

describe('what the resolver refuses', () => {
  it('throws on an unknown intrinsic, naming where it was found', () => {
    const resolver = createResolver(template);
    const value: Json = { Variables: { TABLE: { 'Fn::ImportValue': 'shared-table' } } };
    expect(() => resolver.resolve(value, 'Resources.Fn.Properties.Environment')).toThrow(
      TemplateResolutionError,
    );
    expect(() => resolver.resolve(value, 'Resources.Fn.Properties.Environment')).toThrow(
      'Resources.Fn.Properties.Environment.Variables.TABLE.Fn::ImportValue: unsupported intrinsic function Fn::ImportValue',
    );
  });

  it('throws on conditions', () => {
    expect(() => resolveIn({ 'Fn::If': ['IsProd', 'a', 'b'] })).toThrow(
      /unsupported intrinsic function Fn::If/,
    );
  });

  it('throws on a Ref to a resource that is not in the template', () => {
    expect(() => resolveIn({ Ref: 'Missing' })).toThrow(/no resource "Missing"/);
  });

  it('throws on an unsupported pseudo parameter', () => {
    expect(() => resolveIn({ Ref: 'AWS::NotificationARNs' })).toThrow(
      /unsupported pseudo parameter AWS::NotificationARNs/,
    );
  });

  it('throws on an attribute it has no local value for', () => {
    expect(() => resolveIn({ 'Fn::GetAtt': ['ApiCasesApi72C6FEFF', 'SnapStartResponse'] })).toThrow(
      /no local value for Fn::GetAtt ApiCasesApi72C6FEFF.SnapStartResponse \(AWS::Lambda::Function\)/,
    );
  });

  it('throws on a resource type it has no local name for', () => {
    expect(() => resolveIn({ Ref: 'SomethingElse' })).toThrow(
      /no local physical name for AWS::AppSync::GraphQLApi/,
    );
  });

  it('throws when Fn::Join gets something that is not a string', () => {
    expect(() => resolveIn({ 'Fn::Join': ['', ['a', { x: 1 }]] })).toThrow(
      /test.Fn::Join\[1\]\[1\]: expected a string/,
    );
  });
});

describe('local names', () => {
  it('reads a CDK logical id without its hash', () => {
    expect(readableName('StorageCases45136476')).toBe('storage-cases');
    expect(readableName('StorageEvidenceAccessLogsAE14530C')).toBe('storage-evidence-access-logs');
    expect(readableName('APIKeys')).toBe('api-keys');
  });

  it('makes DNS-safe bucket names of 3 to 63 characters', () => {
    expect(dnsSafeBucketName('Laowu_Evidence')).toBe('laowu-evidence');
    expect(dnsSafeBucketName('a')).toBe('a00');
    const long = dnsSafeBucketName(`laowu-${'x'.repeat(80)}`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  it('falls back to the full logical id when two tables would read the same', () => {
    const clash: CfnTemplate = {
      Resources: {
        CasesAAAAAAAA: { Type: 'AWS::DynamoDB::Table' },
        CasesBBBBBBBB: { Type: 'AWS::DynamoDB::Table' },
      },
    };
    const resolver = createResolver(clash);
    expect(resolver.resolve([{ Ref: 'CasesAAAAAAAA' }, { Ref: 'CasesBBBBBBBB' }], 'test')).toEqual([
      'laowu-casesaaaaaaaa',
      'laowu-casesbbbbbbbb',
    ]);
  });
});
