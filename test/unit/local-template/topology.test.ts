import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CfnTemplate,
  functionByArn,
  type LocalTopology,
  loadLocalTopology,
  synthTemplate,
} from '#local/template';

/**
 * `loadLocalTopology` over the real app, synthesized once for the file (bundling and the built-in
 * CloudFormation validator off: ~2 s).
 */
let template: CfnTemplate;
let topology: LocalTopology;

beforeAll(async () => {
  template = await synthTemplate();
  topology = loadLocalTopology(template);
}, 120_000);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
// TableV2 synthesizes AWS::DynamoDB::GlobalTable, Table AWS::DynamoDB::Table: either may be used.
const tableResources = () => [...ofType('AWS::DynamoDB::GlobalTable'), ...ofType('AWS::DynamoDB::Table')];
const localFunctionArn = (logicalId: string) => `arn:aws:lambda:us-east-1:000000000000:function:${logicalId}`;

describe('tables', () => {
  it('has one CreateTable input per table of the template, on demand, with readable names', () => {
    const tableIds = tableResources().map(([id]) => id);
    expect(Object.keys(topology.tables).sort()).toEqual(tableIds.sort());
    for (const table of Object.values(topology.tables)) {
      expect(table.createTable.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.tableName).toMatch(/^laowu-[a-z0-9-]{3,}$/);
      expect(table.createTable.TableName).toBe(table.tableName);
    }
  });

  it('copies keys, attribute definitions and indexes of the cases table', () => {
    const [casesId, cases] = tableResources().find(([id]) => id.startsWith('StorageCases')) ?? [];
    expect(casesId).toBeDefined();
    const local = topology.tables[casesId ?? ''];
    expect(local?.tableName).toBe('laowu-storage-cases');
    expect(local?.createTable.KeySchema).toEqual(cases?.Properties?.KeySchema);
    expect(local?.createTable.AttributeDefinitions).toEqual(cases?.Properties?.AttributeDefinitions);
    expect(local?.createTable.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      'byRound',
      'byAssignee',
      'byOrg',
      'feed',
    ]);
    expect(local?.createTable.GlobalSecondaryIndexes?.[3]).toEqual({
      IndexName: 'feed',
      KeySchema: [
        { AttributeName: 'feedKey', KeyType: 'HASH' },
        { AttributeName: 'feedSeq', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(local?.timeToLiveAttribute).toBe('expiresAt');
  });
});

describe('buckets', () => {
  it('names the evidence bucket DNS-safely and keeps its CORS rules', () => {
    const evidence = Object.values(topology.buckets).find(
      (bucket) => bucket.logicalId.startsWith('StorageEvidence') && !bucket.logicalId.includes('AccessLogs'),
    );
    expect(evidence?.name).toBe('laowu-storage-evidence');
    expect(evidence?.arn).toBe('arn:aws:s3:::laowu-storage-evidence');
    expect(evidence?.versioned).toBe(true);
    expect(evidence?.cors).toEqual([
      {
        AllowedMethods: ['POST'],
        AllowedOrigins: ['http://127.0.0.1:3000', 'http://localhost:3000'],
        AllowedHeaders: ['*'],
        MaxAgeSeconds: 3000,
      },
    ]);
  });

  it('routes object-created events under rounds/ to the evidence intake function', () => {
    const evidence = Object.values(topology.buckets).find(
      (bucket) => bucket.name === 'laowu-storage-evidence',
    );
    const intake = Object.values(topology.functions).find(
      (fn) => fn.entry === 'functions/evidence-intake/handler.ts',
    );
    expect(intake).toBeDefined();
    expect(evidence?.notifications).toEqual([
      {
        events: ['s3:ObjectCreated:*'],
        prefix: 'rounds/',
        functionArn: intake?.arn,
        functionLogicalId: intake?.logicalId,
      },
    ]);
  });
});

describe('functions', () => {
  it('has every function that carries a laowu:entry, with its entry, export and limits', () => {
    const withEntry = ofType('AWS::Lambda::Function').filter(
      ([, resource]) => resource.Metadata?.['laowu:entry'] !== undefined,
    );
    expect(Object.keys(topology.functions).sort()).toEqual(withEntry.map(([id]) => id).sort());
    for (const [id, resource] of withEntry) {
      const fn = topology.functions[id];
      expect(fn?.arn).toBe(localFunctionArn(id));
      expect(fn?.entry).toBe(resource.Metadata?.['laowu:entry']);
      expect(fn?.entry).toMatch(/^functions\/[a-z-]+\/handler\.ts$/);
      expect(fn?.handler).toBe('handler');
      expect(fn?.timeoutSeconds).toBe(resource.Properties?.Timeout);
      expect(fn?.memorySize).toBe(resource.Properties?.MemorySize);
    }
  });

  it('leaves out the functions CDK adds for itself', () => {
    const helpers = ofType('AWS::Lambda::Function').filter(
      ([, resource]) => resource.Metadata?.['laowu:entry'] === undefined,
    );
    for (const [id] of helpers) expect(topology.functions[id]).toBeUndefined();
  });

  it('resolves each environment to plain strings naming local resources', () => {
    const cases =
      topology.tables[Object.keys(topology.tables).find((id) => id.startsWith('StorageCases')) ?? ''];
    const casesApi = Object.values(topology.functions).find(
      (fn) => fn.entry === 'functions/cases-api/handler.ts',
    );
    const machine = Object.values(topology.stateMachines)[0];
    expect(casesApi?.environment).toMatchObject({
      CASES_TABLE: cases?.tableName,
      EVIDENCE_BUCKET: 'laowu-storage-evidence',
      STATE_MACHINE_ARN: machine?.arn,
    });
    for (const fn of Object.values(topology.functions)) {
      for (const value of Object.values(fn.environment)) expect(typeof value).toBe('string');
    }
  });

  it('carries the asynchronous retry settings of the evidence intake', () => {
    const intake = Object.values(topology.functions).find(
      (fn) => fn.entry === 'functions/evidence-intake/handler.ts',
    );
    expect(intake?.asyncInvoke?.maximumRetryAttempts).toBe(2);
    expect(intake?.asyncInvoke?.onFailureArn).toMatch(/^arn:aws:sqs:us-east-1:000000000000:/);
  });

  it('finds a function by its ARN, qualified ARN or name', () => {
    const fn = Object.values(topology.functions)[0];
    expect(fn).toBeDefined();
    if (!fn) return;
    expect(functionByArn(topology, fn.arn)).toBe(fn);
    expect(functionByArn(topology, `${fn.arn}:$LATEST`)).toBe(fn);
    expect(functionByArn(topology, fn.name)).toBe(fn);
    expect(functionByArn(topology, localFunctionArn('Nope'))).toBeUndefined();
  });
});

describe('state machines', () => {
  it('resolves the definition to plain ASL: the DefinitionString with its intrinsics replaced', () => {
    const [machineId, machine] = ofType('AWS::StepFunctions::StateMachine')[0] ?? [];
    const definitionString = machine?.Properties?.DefinitionString;
    const join = isObject(definitionString) ? definitionString['Fn::Join'] : undefined;
    if (
      machineId === undefined ||
      !Array.isArray(join) ||
      typeof join[0] !== 'string' ||
      !Array.isArray(join[1])
    ) {
      throw new Error('expected a state machine whose DefinitionString is an Fn::Join');
    }
    // Replace each intrinsic independently of the resolver: the partition and function ARNs.
    const text = join[1]
      .map((part) => {
        if (typeof part === 'string') return part;
        if (JSON.stringify(part) === '{"Ref":"AWS::Partition"}') return 'aws';
        const getAtt = isObject(part) ? part['Fn::GetAtt'] : undefined;
        if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
          expect(template.Resources[getAtt[0]]?.Type).toBe('AWS::Lambda::Function');
          return localFunctionArn(getAtt[0]);
        }
        throw new Error(`unexpected intrinsic in the definition: ${JSON.stringify(part)}`);
      })
      .join(join[0]);

    const local = topology.stateMachines[machineId];
    expect(local?.definition).toEqual(JSON.parse(text));
    expect(local?.arn).toBe(`arn:aws:states:us-east-1:000000000000:stateMachine:${local?.name}`);
    expect(local?.type).toBe('STANDARD');
  });

  it('points every Task at a known local function', () => {
    const arns = new Set(Object.values(topology.functions).map((fn) => fn.arn));
    for (const machine of Object.values(topology.stateMachines)) {
      const states = isObject(machine.definition.States) ? Object.values(machine.definition.States) : [];
      const tasks = states.filter((state) => isObject(state) && state.Type === 'Task');
      expect(tasks.length).toBeGreaterThan(0);
      for (const state of tasks) {
        const resource = isObject(state) ? String(state.Resource) : '';
        if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
          expect(arns).toContain(
            isObject(state) && isObject(state.Parameters) ? state.Parameters.FunctionName : undefined,
          );
        } else {
          expect(arns).toContain(resource);
        }
      }
      expect(JSON.stringify(machine.definition)).not.toMatch(/Fn::|"Ref"/);
    }
  });
});

describe('HTTP API', () => {
  it('has every route of the template with its function and authorization', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(topology.api?.routes.map((route) => route.routeKey).sort()).toEqual(
      routes.map(([, route]) => route.Properties?.RouteKey).sort(),
    );
    const arns = new Set(Object.values(topology.functions).map((fn) => fn.arn));
    for (const route of topology.api?.routes ?? []) {
      expect(arns).toContain(route.functionArn);
      expect(['JWT', 'NONE']).toContain(route.authorizationType);
    }
  });

  it('protects case routes with the JWT authorizer and leaves the public round route open', () => {
    const byKey = new Map(topology.api?.routes.map((route) => [route.routeKey, route]));
    expect(byKey.get('POST /v1/cases')?.authorizationType).toBe('JWT');
    expect(byKey.get('GET /v1/rounds/{roundId}')?.authorizationType).toBe('NONE');
    const casesApi = Object.values(topology.functions).find(
      (fn) => fn.entry === 'functions/cases-api/handler.ts',
    );
    expect(byKey.get('POST /v1/cases')?.functionArn).toBe(casesApi?.arn);
  });

  it('takes the JWT issuer and audience from the authorizer and CORS from the API', () => {
    expect(topology.api?.jwt).toEqual({
      issuer: 'http://127.0.0.1:3000/local/issuer',
      audience: ['laowu'],
      identitySource: ['$request.header.Authorization'],
    });
    expect(topology.api?.cors?.allowOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
    expect(topology.api?.cors?.allowHeaders).toContain('authorization');
  });
});
