import { Capture, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '#shared/http/routes';
import { CASES_INDEXES } from '#shared/store/keys';
import { allStates, aslOf } from './asl';
import { synthesize } from './synth';

let template: ReturnType<typeof synthesize>['template'];
beforeAll(() => {
  template = synthesize().template;
});

describe('tables', () => {
  it('are on demand, point-in-time recoverable and encrypted with the customer key', () => {
    template.resourcePropertiesCountIs(
      'AWS::DynamoDB::Table',
      {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        DeletionProtectionEnabled: true,
      },
      2,
    );
  });

  it('give the cases table the indexes of DESIGN §3', () => {
    const indexes = new Capture();
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: indexes,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    const names = (indexes.asArray() as { IndexName: string }[]).map((index) => index.IndexName).sort();
    expect(names).toEqual(CASES_INDEXES.map((index) => index.name).sort());
  });

  it('rotate the data key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });
});

describe('evidence bucket', () => {
  it('blocks public access, is versioned and encrypted with KMS', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } },
        ],
      },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST'] })] },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
          Match.objectLike({ NoncurrentVersionExpiration: Match.anyValue() }),
        ]),
      },
    });
  });

  it('refuses every request that is not TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('sends every object created under the upload prefix to evidence intake', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'rounds/' }] } },
          }),
        ],
      },
    });
  });
});

describe('HTTP API', () => {
  it('verifies JWTs from the issuer and audience given as context', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://idp.example.gov.cn/realms/laowu', Audience: ['laowu'] },
    });
  });

  it('puts the authorizer on every route except the public allowlist', () => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route');
    const publicKeys = new Set<string>(
      ROUTES.filter((route) => route.access === 'public').map((route) => route.routeKey),
    );
    const seen = Object.values(routes).map(
      (resource) => resource.Properties as { RouteKey: string; AuthorizationType?: string },
    );
    expect(seen.map((route) => route.RouteKey).sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
    for (const route of seen) {
      expect(route.AuthorizationType ?? 'NONE', route.RouteKey).toBe(
        publicKeys.has(route.RouteKey) ? 'NONE' : 'JWT',
      );
    }
  });

  it('throttles the stage and writes JSON access logs without bodies or claims', () => {
    const format = new Capture();
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: format },
    });
    const fields = JSON.parse(format.asString());
    expect(fields.requestId).toBe('$context.requestId');
    expect(format.asString()).not.toMatch(/body|claims|querystring/i);
  });
});

describe('functions', () => {
  it('all run Node.js 22 on arm64 with active tracing and JSON logs', () => {
    const functions = Object.values(
      template.findResources('AWS::Lambda::Function', { Metadata: { 'laowu:entry': Match.anyValue() } }),
    );
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    }
  });
});

describe('case workflow', () => {
  const definition = () => {
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(machines).toHaveLength(1);
    return aslOf(machines[0]?.Properties.DefinitionString);
  };

  it('is a Standard state machine with tracing and logs that leave execution data out', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { IncludeExecutionData: false, Level: 'ALL' },
    });
  });

  it('bounds every callback task by TimeoutSeconds and catches its timeout', () => {
    const callbacks = allStates(definition()).filter(([, state]) =>
      state.Resource?.includes('.waitForTaskToken'),
    );
    expect(
      callbacks
        .map(([name]) => name)
        .filter((name) => !name.startsWith('Attention'))
        .sort(),
    ).toEqual([
      'AwaitSelection',
      'CountyReview',
      'ExpertScore',
      'ObjectionReview',
      'OnSiteEvaluation',
      'ProvinceRecommendation',
      'RequestSupplement',
    ]);
    for (const [name, state] of callbacks) {
      expect(state.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(
        state.Catch?.some(
          (c) => c.ErrorEquals.includes('States.Timeout') || c.ErrorEquals.includes('States.ALL'),
        ),
        name,
      ).toBe(true);
    }
  });

  it('catches every error of every Lambda and callback task after its retries, into an attention task', () => {
    const states = allStates(definition());
    const byName = new Map(states);
    const tasks = states.filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    for (const [name, state] of tasks) {
      const all = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      expect(all, `${name} catches States.ALL`).toBeDefined();
      if (name.startsWith('Attention')) continue;
      const target = byName.get(all?.Next ?? '');
      expect(all?.Next, name).toBe(`Attention${name}`);
      expect(target?.Resource, name).toContain('.waitForTaskToken');
      expect((target?.Parameters?.Payload as { type?: string } | undefined)?.type, name).toBe('attention');
      // Retry goes back to the failed state in the same execution.
      const choice = byName.get((target as { Next?: string } | undefined)?.Next ?? '');
      expect((choice as { Choices?: { Next?: string }[] } | undefined)?.Choices?.[0]?.Next, name).toBe(name);
    }
  });

  it('retries transient Lambda errors with backoff on every Lambda task', () => {
    const lambdaTasks = allStates(definition()).filter(([, state]) =>
      state.Resource?.includes(':lambda:invoke'),
    );
    expect(lambdaTasks.length).toBeGreaterThan(3);
    for (const [name, state] of lambdaTasks) {
      for (const transient of [
        'Lambda.ServiceException',
        'Lambda.TooManyRequestsException',
        'Lambda.SdkClientException',
      ]) {
        const retry = state.Retry?.find((r) => r.ErrorEquals.includes(transient));
        expect(retry, `${name} retries ${transient}`).toBeDefined();
        expect(retry?.BackoffRate ?? 0, name).toBeGreaterThan(1);
      }
    }
  });

  it('leads every callback timeout to attention (or, for the province and an expert, a recorded outcome), never to a rejection', () => {
    const states = allStates(definition());
    const byName = new Map(states);
    for (const [name, state] of states.filter(([, s]) => s.Resource?.includes('.waitForTaskToken'))) {
      const catcher = state.Catch?.find(
        (c) => c.ErrorEquals.includes('States.Timeout') || c.ErrorEquals.includes('States.ALL'),
      );
      const target = catcher?.Next ?? '';
      if (name === 'ExpertScore') expect(byName.get(target)?.Type).toBe('Pass');
      else if (name === 'ProvinceRecommendation') expect(target).toBe('RecordProvinceTimeout');
      else if (name.startsWith('Attention')) expect(target).toBe(`${name}Again`);
      else expect(target, name).toBe(`Attention${name}`);
      if (!name.startsWith('Attention')) expect(target, name).not.toMatch(/Expired|Reject/);
    }
  });

  it('waits for the end of publicity with a Wait on TimestampPath, and on nothing else', () => {
    // Besides the hour an attention task waits before it is asked again after failing to open.
    const waits = allStates(definition()).filter(
      ([name, state]) => state.Type === 'Wait' && !/^Attention.*Again$/.test(name),
    );
    expect(waits.map(([name]) => name)).toEqual(['Publicity']);
    const [, publicity] = waits[0] ?? [];
    expect(publicity?.TimestampPath).toBe('$.selection.publicityEndsAt');
    expect(publicity?.Seconds ?? publicity?.SecondsPath ?? publicity?.Timestamp).toBeUndefined();
  });

  it('runs the expert review as a Map over the panel, one callback per expert id, keeping no results', () => {
    const map = definition().States.ExpertReview;
    expect(map?.Type).toBe('Map');
    expect(map?.ItemsPath).toBe('$.panel.experts');
    expect(map?.ItemSelector).toEqual({ 'caseId.$': '$.caseId', 'expertId.$': '$$.Map.Item.Value' });
    expect(map?.ResultPath).toBeNull();
    const score = map?.ItemProcessor?.States.ExpertScore;
    expect(score?.Parameters?.Payload).toMatchObject({ 'expertId.$': '$.expertId' });
  });

  it('passes only ids and short codes to every task (no form, no scores, no personal data)', () => {
    for (const [name, state] of allStates(definition())) {
      const payload = state.Parameters?.Payload as Record<string, unknown> | undefined;
      if (!payload) continue;
      for (const key of Object.keys(payload)) {
        expect(
          // failure.$: the error Step Functions caught (our own messages name ids, never a person).
          [
            'taskToken.$',
            'caseId.$',
            'expertId.$',
            'type',
            'status',
            'reason',
            'decision',
            'decision.$',
            'state',
            'failure.$',
          ],
          `${name}.${key}`,
        ).toContain(key);
      }
    }
  });

  it('uses no JSONata and no $$.State (the local interpreter would run them differently)', () => {
    const text = JSON.stringify(definition());
    expect(text).not.toContain('JSONata');
    expect(text).not.toContain('$$.State');
  });
});

describe('partitions', () => {
  it('never writes a literal aws partition into an ARN, so the stack deploys to aws-cn', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/arn:aws:/);
  });
});
