// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation substitutions, not JavaScript ones
import { describe, expect, it } from 'vitest';
import { type CfnTemplate, loadLocalTopology, parseTemplate } from '#local/template';

/** Small hand-written templates for the shapes the CDK app does not emit today. */
const fn = (entry?: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Handler: 'index.main' },
  ...(entry ? { Metadata: { 'laowu:entry': entry } } : {}),
});

describe('loadLocalTopology on template fragments', () => {
  it('gives a function without Timeout or MemorySize the Lambda defaults and its export name', () => {
    const topology = loadLocalTopology({ Resources: { Worker: fn('functions/worker/handler.ts') } });
    expect(topology.functions.Worker).toEqual({
      logicalId: 'Worker',
      name: 'Worker',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:Worker',
      entry: 'functions/worker/handler.ts',
      handler: 'main',
      environment: {},
      timeoutSeconds: 3,
      memorySize: 128,
    });
  });

  it('reads a notification declared on the bucket itself (CloudFormation form), with a suffix filter', () => {
    const template: CfnTemplate = {
      Resources: {
        Worker: fn('functions/worker/handler.ts'),
        Uploads: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'my-uploads',
            NotificationConfiguration: {
              LambdaConfigurations: [
                {
                  Event: 's3:ObjectCreated:Put',
                  Filter: { S3Key: { Rules: [{ Name: 'Suffix', Value: '.xlsx' }] } },
                  Function: { 'Fn::GetAtt': ['Worker', 'Arn'] },
                },
              ],
            },
          },
        },
      },
    };
    expect(loadLocalTopology(template).buckets.Uploads).toEqual({
      logicalId: 'Uploads',
      name: 'my-uploads',
      arn: 'arn:aws:s3:::my-uploads',
      versioned: false,
      cors: [],
      notifications: [
        {
          events: ['s3:ObjectCreated:Put'],
          suffix: '.xlsx',
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:Worker',
          functionLogicalId: 'Worker',
        },
      ],
    });
  });

  it('refuses notifications to queues: the local cloud only routes to functions', () => {
    const template: CfnTemplate = {
      Resources: {
        Uploads: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            NotificationConfiguration: {
              QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: 'arn' }],
            },
          },
        },
      },
    };
    expect(() => loadLocalTopology(template)).toThrow(
      /QueueConfigurations: the local cloud routes only Lambda notifications/,
    );
  });

  it('refuses a notification to a function that does not run locally', () => {
    const template: CfnTemplate = {
      Resources: {
        Foreign: fn(),
        Uploads: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            NotificationConfiguration: {
              LambdaConfigurations: [
                { Event: 's3:ObjectCreated:*', Function: { 'Fn::GetAtt': ['Foreign', 'Arn'] } },
              ],
            },
          },
        },
      },
    };
    expect(() => loadLocalTopology(template)).toThrow(/function:Foreign is not a local function/);
  });

  it('applies DefinitionSubstitutions and a fixed state machine name', () => {
    const template: CfnTemplate = {
      Resources: {
        Worker: fn('functions/worker/handler.ts'),
        Machine: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: { 'Fn::Sub': '${AWS::StackName}-cases' },
            StateMachineType: 'EXPRESS',
            DefinitionString:
              '{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"${WorkerArn}","End":true}}}',
            DefinitionSubstitutions: { WorkerArn: { 'Fn::GetAtt': ['Worker', 'Arn'] } },
          },
        },
      },
    };
    expect(loadLocalTopology(template, { region: 'cn-north-1' }).stateMachines.Machine).toEqual({
      logicalId: 'Machine',
      name: 'Laowu-cases',
      arn: 'arn:aws:states:cn-north-1:000000000000:stateMachine:Laowu-cases',
      type: 'EXPRESS',
      definition: {
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:cn-north-1:000000000000:function:Worker',
            End: true,
          },
        },
      },
    });
  });

  it('names the place of an unknown intrinsic inside a function environment', () => {
    const template: CfnTemplate = {
      Resources: {
        Worker: {
          ...fn('functions/worker/handler.ts'),
          Properties: {
            Handler: 'index.handler',
            Environment: { Variables: { X: { 'Fn::ImportValue': 'y' } } },
          },
        },
      },
    };
    expect(() => loadLocalTopology(template)).toThrow(
      'Resources.Worker.Properties.Environment.Variables.X.Fn::ImportValue: unsupported intrinsic function Fn::ImportValue',
    );
  });

  it('has no api when the template has no HTTP API', () => {
    expect(loadLocalTopology({ Resources: {} }).api).toBeUndefined();
  });
});

describe('parseTemplate', () => {
  it('accepts a template and rejects what is not one', () => {
    expect(parseTemplate({ Resources: { A: { Type: 'AWS::S3::Bucket' } } }).Resources.A?.Type).toBe(
      'AWS::S3::Bucket',
    );
    expect(() => parseTemplate({ Resources: { A: { Properties: {} } } }, 'x.json')).toThrow(
      /x.json is not a CloudFormation template/,
    );
  });
});
