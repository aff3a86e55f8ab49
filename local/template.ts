import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  StreamSpecification,
} from '@aws-sdk/client-dynamodb';
import type { CORSRule } from '@aws-sdk/client-s3';
import { z } from 'zod';
import {
  type CfnResource,
  type CfnTemplate,
  createResolver,
  type Json,
  type ResolveOptions,
  type Resolver,
  TemplateResolutionError,
} from './template/resolver';

export {
  type CfnResource,
  type CfnTemplate,
  createResolver,
  DEFAULT_REGION,
  DEFAULT_STACK_NAME,
  dnsSafeBucketName,
  type Json,
  LOCAL_ACCOUNT_ID,
  type ResolveOptions,
  type Resolver,
  readableName,
  TemplateResolutionError,
} from './template/resolver';

/**
 * Reads the synthesized CloudFormation template back into what the local cloud runs (DESIGN §1.1):
 * CreateTable inputs, buckets with CORS and notifications, functions with their entry and resolved
 * environment, state machines as plain ASL, and the HTTP API's routes and JWT settings. The functions
 * here are pure over the template JSON; the loaders at the end read `cdk.out` or synthesize in-process.
 */

/** Metadata key on each function resource naming its TypeScript entry (see infra/laowu-function.ts). */
export const LOCAL_ENTRY_METADATA = 'laowu:entry';

export interface LocalTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly createTable: CreateTableCommandInput & { TableName: string };
  /** The TTL attribute when the template enables TTL. DynamoDB Local never deletes: filter on it. */
  readonly timeToLiveAttribute?: string;
}

export interface LocalBucketNotification {
  /** S3 event types as in the configuration, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
  readonly functionArn: string;
  readonly functionLogicalId: string;
}

export interface LocalBucket {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly versioned: boolean;
  readonly cors: readonly CORSRule[];
  /** Lambda notifications, in template order. */
  readonly notifications: readonly LocalBucketNotification[];
}

export interface LocalFunction {
  readonly logicalId: string;
  /** The local function name: its logical id. */
  readonly name: string;
  readonly arn: string;
  /** TypeScript entry relative to the project root, e.g. `functions/cases-api/handler.ts`. */
  readonly entry: string;
  /** The export to call (`index.handler` → `handler`). */
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Asynchronous invocation settings (S3 notifications invoke asynchronously). */
  readonly asyncInvoke?: {
    readonly maximumRetryAttempts?: number;
    readonly maximumEventAgeSeconds?: number;
    readonly onFailureArn?: string;
  };
}

export interface LocalStateMachine {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** Plain ASL: the DefinitionString with every intrinsic replaced, JSON-parsed. */
  readonly definition: Record<string, unknown>;
}

export interface LocalRoute {
  /** e.g. `GET /v1/cases/{caseId}` or `$default`. */
  readonly routeKey: string;
  readonly functionArn: string;
  readonly functionLogicalId: string;
  readonly authorizationType: 'JWT' | 'NONE';
  readonly authorizationScopes?: readonly string[];
  /** HTTP API payload format of the integration, `2.0` or `1.0`. */
  readonly payloadFormatVersion: string;
}

export interface LocalJwtAuthorizer {
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Where the token is read, e.g. `$request.header.Authorization`. */
  readonly identitySource: readonly string[];
}

export interface LocalCors {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds?: number;
}

export interface LocalHttpApi {
  readonly logicalId: string;
  readonly routes: readonly LocalRoute[];
  readonly jwt?: LocalJwtAuthorizer;
  readonly cors?: LocalCors;
}

/** A Secrets Manager secret of the template, served by the local Secrets Manager endpoint. */
export interface LocalSecret {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** A literal `SecretString`, when the template gives one. */
  readonly secretString?: string;
  /** How to generate the value otherwise (CloudFormation's `GenerateSecretString`). */
  readonly generate?: {
    readonly passwordLength: number;
    readonly excludeCharacters: string;
    readonly excludeLowercase: boolean;
    readonly excludeUppercase: boolean;
    readonly excludeNumbers: boolean;
    readonly excludePunctuation: boolean;
    readonly includeSpace: boolean;
    readonly secretStringTemplate?: string;
    readonly generateStringKey?: string;
  };
}

export interface LocalTopology {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  readonly tables: Readonly<Record<string, LocalTable>>;
  readonly buckets: Readonly<Record<string, LocalBucket>>;
  readonly functions: Readonly<Record<string, LocalFunction>>;
  readonly stateMachines: Readonly<Record<string, LocalStateMachine>>;
  readonly secrets: Readonly<Record<string, LocalSecret>>;
  /** The HTTP API, when the template has one. */
  readonly api?: LocalHttpApi;
}

export function loadLocalTopology(template: CfnTemplate, options: ResolveOptions = {}): LocalTopology {
  const resolver = createResolver(template, options);
  const functions = readFunctions(resolver);
  return {
    region: resolver.region,
    accountId: resolver.accountId,
    partition: resolver.partition,
    stackName: resolver.stackName,
    tables: readTables(resolver),
    buckets: readBuckets(resolver, functions),
    functions,
    stateMachines: readStateMachines(resolver),
    secrets: readSecrets(resolver),
    ...optional('api', readHttpApi(resolver, functions)),
  };
}

/** The local function an ARN (or a qualified ARN, or a function name) points at. */
export function functionByArn(topology: LocalTopology, arnOrName: string): LocalFunction | undefined {
  const unqualified = arnOrName.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
  return Object.values(topology.functions).find((fn) => fn.arn === unqualified || fn.name === unqualified);
}

// ---------------------------------------------------------------------------------------------
// Tables

function readTables(resolver: Resolver): Record<string, LocalTable> {
  const tables: Record<string, LocalTable> = {};
  for (const [logicalId, resource] of resourcesOfType(
    resolver.template,
    'AWS::DynamoDB::GlobalTable',
    'AWS::DynamoDB::Table',
  )) {
    const at = `Resources.${logicalId}.Properties`;
    const props = asObject(resolver.resolve(resource.Properties ?? {}, at), at);
    const tableName = resolver.physical(logicalId, at).ref;
    const gsis = asArray(props.GlobalSecondaryIndexes ?? [], `${at}.GlobalSecondaryIndexes`).map((index, i) =>
      readIndex(index, `${at}.GlobalSecondaryIndexes[${i}]`),
    );
    const lsis = asArray(props.LocalSecondaryIndexes ?? [], `${at}.LocalSecondaryIndexes`).map((index, i) =>
      readIndex(index, `${at}.LocalSecondaryIndexes[${i}]`),
    );
    const ttl =
      props.TimeToLiveSpecification === undefined
        ? undefined
        : asObject(props.TimeToLiveSpecification, `${at}.TimeToLiveSpecification`);
    const stream =
      props.StreamSpecification === undefined
        ? undefined
        : asObject(props.StreamSpecification, `${at}.StreamSpecification`);

    const createTable: LocalTable['createTable'] = {
      TableName: tableName,
      AttributeDefinitions: asArray(props.AttributeDefinitions, `${at}.AttributeDefinitions`).map(
        (definition, i): AttributeDefinition => {
          const where = `${at}.AttributeDefinitions[${i}]`;
          const item = asObject(definition, where);
          return {
            AttributeName: asString(item.AttributeName, `${where}.AttributeName`),
            AttributeType: oneOf(item.AttributeType, ['S', 'N', 'B'] as const, `${where}.AttributeType`),
          };
        },
      ),
      KeySchema: readKeySchema(props.KeySchema, `${at}.KeySchema`),
      // Local tables are on demand whatever the template bills: capacity means nothing locally.
      BillingMode: 'PAY_PER_REQUEST',
      ...optional('GlobalSecondaryIndexes', gsis.length > 0 ? gsis : undefined),
      ...optional('LocalSecondaryIndexes', lsis.length > 0 ? lsis : undefined),
      ...optional(
        'StreamSpecification',
        stream ? readStream(stream, `${at}.StreamSpecification`) : undefined,
      ),
    };
    const ttlEnabled = ttl !== undefined && ttl.Enabled !== false;
    tables[logicalId] = {
      logicalId,
      tableName,
      createTable,
      ...optional(
        'timeToLiveAttribute',
        ttl && ttlEnabled
          ? asString(ttl.AttributeName, `${at}.TimeToLiveSpecification.AttributeName`)
          : undefined,
      ),
    };
  }
  return tables;
}

function readKeySchema(value: Json | undefined, at: string): KeySchemaElement[] {
  return asArray(value, at).map((element, i) => {
    const item = asObject(element, `${at}[${i}]`);
    return {
      AttributeName: asString(item.AttributeName, `${at}[${i}].AttributeName`),
      KeyType: oneOf(item.KeyType, ['HASH', 'RANGE'] as const, `${at}[${i}].KeyType`),
    };
  });
}

function readIndex(value: Json, at: string): GlobalSecondaryIndex & LocalSecondaryIndex {
  const index = asObject(value, at);
  const projection =
    index.Projection === undefined ? undefined : asObject(index.Projection, `${at}.Projection`);
  const result: Projection = { ProjectionType: 'ALL' };
  if (projection) {
    result.ProjectionType = oneOf(
      projection.ProjectionType ?? 'ALL',
      ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const,
      `${at}.Projection.ProjectionType`,
    );
    if (projection.NonKeyAttributes !== undefined) {
      result.NonKeyAttributes = asArray(projection.NonKeyAttributes, `${at}.Projection.NonKeyAttributes`).map(
        (name, i) => asString(name, `${at}.Projection.NonKeyAttributes[${i}]`),
      );
    }
  }
  return {
    IndexName: asString(index.IndexName, `${at}.IndexName`),
    KeySchema: readKeySchema(index.KeySchema, `${at}.KeySchema`),
    Projection: result,
  };
}

function readStream(stream: Record<string, Json>, at: string): StreamSpecification {
  return {
    StreamEnabled: true,
    StreamViewType: oneOf(
      stream.StreamViewType,
      ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const,
      `${at}.StreamViewType`,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Buckets and their notifications

function readBuckets(
  resolver: Resolver,
  functions: Record<string, LocalFunction>,
): Record<string, LocalBucket> {
  const { template } = resolver;
  const buckets: Record<string, LocalBucket> = {};
  const bucketIdByName = new Map<string, string>();
  const notifications = new Map<string, LocalBucketNotification[]>();

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    const physical = resolver.physical(logicalId, `Resources.${logicalId}`);
    bucketIdByName.set(physical.ref, logicalId);
    notifications.set(logicalId, []);
    const at = `Resources.${logicalId}.Properties`;
    const cors = resource.Properties?.CorsConfiguration;
    const versioning = resource.Properties?.VersioningConfiguration;
    buckets[logicalId] = {
      logicalId,
      name: physical.ref,
      arn: physical.attributes.Arn ?? '',
      versioned:
        versioning !== undefined &&
        asObject(
          resolver.resolve(versioning, `${at}.VersioningConfiguration`),
          `${at}.VersioningConfiguration`,
        ).Status === 'Enabled',
      cors:
        cors === undefined
          ? []
          : readCorsRules(resolver.resolve(cors, `${at}.CorsConfiguration`), `${at}.CorsConfiguration`),
      notifications: [],
    };
    // A notification configured on the bucket itself (CloudFormation's native form).
    const native = resource.Properties?.NotificationConfiguration;
    if (native !== undefined) {
      const where = `${at}.NotificationConfiguration`;
      notifications
        .get(logicalId)
        ?.push(...readNativeNotifications(resolver.resolve(native, where), where, functions));
    }
  }

  // CDK's form: one Custom::S3BucketNotifications per bucket, applied by a helper Lambda on deploy.
  for (const [logicalId, resource] of resourcesOfType(template, 'Custom::S3BucketNotifications')) {
    const at = `Resources.${logicalId}.Properties`;
    const bucketName = resolver.resolveString(resource.Properties?.BucketName, `${at}.BucketName`);
    const bucketId = bucketIdByName.get(bucketName);
    if (!bucketId)
      throw new TemplateResolutionError(`${at}.BucketName`, `bucket "${bucketName}" is not in the template`);
    const where = `${at}.NotificationConfiguration`;
    const config = asObject(
      resolver.resolve(resource.Properties?.NotificationConfiguration ?? {}, where),
      where,
    );
    notifications.get(bucketId)?.push(...readCustomNotifications(config, where, functions));
  }

  for (const [logicalId, bucket] of Object.entries(buckets)) {
    buckets[logicalId] = { ...bucket, notifications: notifications.get(logicalId) ?? [] };
  }
  return buckets;
}

function readCorsRules(value: Json | undefined, at: string): CORSRule[] {
  const config = asObject(value, at);
  return asArray(config.CorsRules, `${at}.CorsRules`).map((rule, i) => {
    const where = `${at}.CorsRules[${i}]`;
    const item = asObject(rule, where);
    const strings = (name: string) =>
      item[name] === undefined
        ? undefined
        : asArray(item[name], `${where}.${name}`).map((s, j) => asString(s, `${where}.${name}[${j}]`));
    return {
      AllowedMethods: strings('AllowedMethods') ?? [],
      AllowedOrigins: strings('AllowedOrigins') ?? [],
      ...optional('AllowedHeaders', strings('AllowedHeaders')),
      ...optional('ExposeHeaders', strings('ExposedHeaders')),
      ...optional(
        'MaxAgeSeconds',
        item.MaxAge === undefined ? undefined : asNumber(item.MaxAge, `${where}.MaxAge`),
      ),
      ...optional('ID', item.Id === undefined ? undefined : asString(item.Id, `${where}.Id`)),
    };
  });
}

/** `Custom::S3BucketNotifications`: the S3 API's shape (`Events`, `Filter.Key.FilterRules`, `LambdaFunctionArn`). */
function readCustomNotifications(
  config: Record<string, Json>,
  at: string,
  functions: Record<string, LocalFunction>,
): LocalBucketNotification[] {
  refuseNonLambdaDestinations(config, at, [
    'QueueConfigurations',
    'TopicConfigurations',
    'EventBridgeConfiguration',
  ]);
  return asArray(config.LambdaFunctionConfigurations ?? [], `${at}.LambdaFunctionConfigurations`).map(
    (entry, i) => {
      const where = `${at}.LambdaFunctionConfigurations[${i}]`;
      const item = asObject(entry, where);
      const rules =
        item.Filter === undefined
          ? []
          : asArray(
              asObject(asObject(item.Filter, `${where}.Filter`).Key ?? {}, `${where}.Filter.Key`)
                .FilterRules ?? [],
              `${where}.Filter.Key.FilterRules`,
            );
      return notification(
        asArray(item.Events, `${where}.Events`).map((event, j) => asString(event, `${where}.Events[${j}]`)),
        rules,
        asString(item.LambdaFunctionArn, `${where}.LambdaFunctionArn`),
        where,
        functions,
      );
    },
  );
}

/** `AWS::S3::Bucket` `NotificationConfiguration`: CloudFormation's shape (`Event`, `Filter.S3Key.Rules`, `Function`). */
function readNativeNotifications(
  value: Json | undefined,
  at: string,
  functions: Record<string, LocalFunction>,
): LocalBucketNotification[] {
  const config = asObject(value, at);
  refuseNonLambdaDestinations(config, at, [
    'QueueConfigurations',
    'TopicConfigurations',
    'EventBridgeConfiguration',
  ]);
  return asArray(config.LambdaConfigurations ?? [], `${at}.LambdaConfigurations`).map((entry, i) => {
    const where = `${at}.LambdaConfigurations[${i}]`;
    const item = asObject(entry, where);
    const rules =
      item.Filter === undefined
        ? []
        : asArray(
            asObject(asObject(item.Filter, `${where}.Filter`).S3Key ?? {}, `${where}.Filter.S3Key`).Rules ??
              [],
            `${where}.Filter.S3Key.Rules`,
          );
    return notification(
      [asString(item.Event, `${where}.Event`)],
      rules,
      asString(item.Function, `${where}.Function`),
      where,
      functions,
    );
  });
}

function refuseNonLambdaDestinations(config: Record<string, Json>, at: string, keys: string[]) {
  for (const key of keys) {
    const value = config[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    throw new TemplateResolutionError(`${at}.${key}`, 'the local cloud routes only Lambda notifications');
  }
}

function notification(
  events: string[],
  rules: Json[],
  functionArn: string,
  at: string,
  functions: Record<string, LocalFunction>,
): LocalBucketNotification {
  let prefix: string | undefined;
  let suffix: string | undefined;
  rules.forEach((rule, i) => {
    const item = asObject(rule, `${at}.FilterRules[${i}]`);
    const name = asString(item.Name, `${at}.FilterRules[${i}].Name`).toLowerCase();
    const value = asString(item.Value, `${at}.FilterRules[${i}].Value`);
    if (name === 'prefix') prefix = value;
    else if (name === 'suffix') suffix = value;
    else throw new TemplateResolutionError(`${at}.FilterRules[${i}].Name`, `unknown filter rule "${name}"`);
  });
  const target = Object.values(functions).find((fn) => fn.arn === functionArn);
  if (!target)
    throw new TemplateResolutionError(at, `notification target ${functionArn} is not a local function`);
  return {
    events,
    ...optional('prefix', prefix),
    ...optional('suffix', suffix),
    functionArn,
    functionLogicalId: target.logicalId,
  };
}

// ---------------------------------------------------------------------------------------------
// Functions

/**
 * Every function with a `laowu:entry` metadata key. Functions CDK adds for itself (the bucket
 * notifications handler, custom resource providers) have none and do not run locally.
 */
function readFunctions(resolver: Resolver): Record<string, LocalFunction> {
  const { template } = resolver;
  const functions: Record<string, LocalFunction> = {};
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const entry = resource.Metadata?.[LOCAL_ENTRY_METADATA];
    if (entry === undefined) continue;
    const at = `Resources.${logicalId}`;
    const props = resource.Properties ?? {};
    const handler = asString(props.Handler, `${at}.Properties.Handler`);
    const variablesAt = `${at}.Properties.Environment.Variables`;
    const environment =
      props.Environment === undefined
        ? {}
        : asObject(
            resolver.resolve(
              asObject(props.Environment, `${at}.Properties.Environment`).Variables ?? {},
              variablesAt,
            ),
            variablesAt,
          );
    const physical = resolver.physical(logicalId, at);
    functions[logicalId] = {
      logicalId,
      name: physical.ref,
      arn: physical.attributes.Arn ?? '',
      entry: asString(entry, `${at}.Metadata.${LOCAL_ENTRY_METADATA}`),
      handler: handler.slice(handler.lastIndexOf('.') + 1),
      environment: Object.fromEntries(
        Object.entries(environment).map(([name, value]) => [name, asString(value, `${variablesAt}.${name}`)]),
      ),
      timeoutSeconds:
        props.Timeout === undefined
          ? 3
          : asNumber(resolver.resolve(props.Timeout, `${at}.Properties.Timeout`), `${at}.Properties.Timeout`),
      memorySize:
        props.MemorySize === undefined
          ? 128
          : asNumber(
              resolver.resolve(props.MemorySize, `${at}.Properties.MemorySize`),
              `${at}.Properties.MemorySize`,
            ),
    };
  }

  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig')) {
    const at = `Resources.${logicalId}.Properties`;
    const props = asObject(resolver.resolve(resource.Properties ?? {}, at), at);
    const target = asString(props.FunctionName, `${at}.FunctionName`);
    const fn = Object.values(functions).find(
      (candidate) => candidate.name === target || candidate.arn === target,
    );
    if (!fn) continue;
    const destination =
      props.DestinationConfig === undefined
        ? undefined
        : asObject(props.DestinationConfig, `${at}.DestinationConfig`);
    const onFailure =
      destination?.OnFailure === undefined
        ? undefined
        : asObject(destination.OnFailure, `${at}.DestinationConfig.OnFailure`);
    functions[fn.logicalId] = {
      ...fn,
      asyncInvoke: {
        ...optional(
          'maximumRetryAttempts',
          props.MaximumRetryAttempts === undefined
            ? undefined
            : asNumber(props.MaximumRetryAttempts, `${at}.MaximumRetryAttempts`),
        ),
        ...optional(
          'maximumEventAgeSeconds',
          props.MaximumEventAgeInSeconds === undefined
            ? undefined
            : asNumber(props.MaximumEventAgeInSeconds, `${at}.MaximumEventAgeInSeconds`),
        ),
        ...optional(
          'onFailureArn',
          onFailure === undefined
            ? undefined
            : asString(onFailure.Destination, `${at}.DestinationConfig.OnFailure.Destination`),
        ),
      },
    };
  }
  return functions;
}

// ---------------------------------------------------------------------------------------------
// State machines

function readStateMachines(resolver: Resolver): Record<string, LocalStateMachine> {
  const machines: Record<string, LocalStateMachine> = {};
  for (const [logicalId, resource] of resourcesOfType(
    resolver.template,
    'AWS::StepFunctions::StateMachine',
  )) {
    const at = `Resources.${logicalId}.Properties`;
    const props = resource.Properties ?? {};
    let definition: Json | undefined;
    if (props.DefinitionString !== undefined) {
      let text = resolver.resolveString(props.DefinitionString, `${at}.DefinitionString`);
      if (props.DefinitionSubstitutions !== undefined) {
        const substitutions = asObject(
          resolver.resolve(props.DefinitionSubstitutions, `${at}.DefinitionSubstitutions`),
          `${at}.DefinitionSubstitutions`,
        );
        text = text.replace(/\$\{([^}]+)\}/g, (match, name: string) => {
          const value = substitutions[name];
          return value === undefined ? match : asString(value, `${at}.DefinitionSubstitutions.${name}`);
        });
      }
      try {
        definition = z.json().parse(JSON.parse(text));
      } catch (error) {
        throw new TemplateResolutionError(
          `${at}.DefinitionString`,
          `not JSON after resolution (${String(error)})`,
        );
      }
    } else if (props.Definition !== undefined) {
      definition = resolver.resolve(props.Definition, `${at}.Definition`);
    } else {
      throw new TemplateResolutionError(
        at,
        'the local cloud needs DefinitionString or Definition (no DefinitionS3Location)',
      );
    }
    const physical = resolver.physical(logicalId, at);
    const type = props.StateMachineType ?? 'STANDARD';
    machines[logicalId] = {
      logicalId,
      name: physical.attributes.Name ?? logicalId,
      arn: physical.ref,
      type: oneOf(type, ['STANDARD', 'EXPRESS'] as const, `${at}.StateMachineType`),
      definition: asObject(definition, `${at}.DefinitionString`),
    };
  }
  return machines;
}

// ---------------------------------------------------------------------------------------------
// Secrets

function readSecrets(resolver: Resolver): Record<string, LocalSecret> {
  const secrets: Record<string, LocalSecret> = {};
  for (const [logicalId, resource] of resourcesOfType(resolver.template, 'AWS::SecretsManager::Secret')) {
    const at = `Resources.${logicalId}.Properties`;
    const props = asObject(resolver.resolve(resource.Properties ?? {}, at), at);
    const arn = resolver.physical(logicalId, at).ref;
    const name = /:secret:(.+)-[^-]{6}$/.exec(arn)?.[1] ?? logicalId;
    const generateAt = `${at}.GenerateSecretString`;
    const generate =
      props.GenerateSecretString === undefined ? undefined : asObject(props.GenerateSecretString, generateAt);
    const flag = (key: string) => generate?.[key] === true;
    secrets[logicalId] = {
      logicalId,
      name,
      arn,
      ...optional(
        'secretString',
        props.SecretString === undefined ? undefined : asString(props.SecretString, `${at}.SecretString`),
      ),
      ...optional(
        'generate',
        generate === undefined
          ? undefined
          : {
              passwordLength:
                generate.PasswordLength === undefined
                  ? 32
                  : asNumber(generate.PasswordLength, `${generateAt}.PasswordLength`),
              excludeCharacters:
                generate.ExcludeCharacters === undefined
                  ? ''
                  : asString(generate.ExcludeCharacters, `${generateAt}.ExcludeCharacters`),
              excludeLowercase: flag('ExcludeLowercase'),
              excludeUppercase: flag('ExcludeUppercase'),
              excludeNumbers: flag('ExcludeNumbers'),
              excludePunctuation: flag('ExcludePunctuation'),
              includeSpace: flag('IncludeSpace'),
              ...optional(
                'secretStringTemplate',
                generate.SecretStringTemplate === undefined
                  ? undefined
                  : asString(generate.SecretStringTemplate, `${generateAt}.SecretStringTemplate`),
              ),
              ...optional(
                'generateStringKey',
                generate.GenerateStringKey === undefined
                  ? undefined
                  : asString(generate.GenerateStringKey, `${generateAt}.GenerateStringKey`),
              ),
            },
      ),
    };
  }
  return secrets;
}

// ---------------------------------------------------------------------------------------------
// HTTP API

function readHttpApi(resolver: Resolver, functions: Record<string, LocalFunction>): LocalHttpApi | undefined {
  const { template } = resolver;
  const apis = resourcesOfType(template, 'AWS::ApiGatewayV2::Api');
  if (apis.length === 0) return undefined;
  if (apis.length > 1) {
    throw new TemplateResolutionError(
      'Resources',
      `the local router serves one HTTP API, found ${apis.map(([id]) => id).join(', ')}`,
    );
  }
  const [apiId, api] = apis[0] ?? [];
  if (apiId === undefined || api === undefined) return undefined;
  const apiRef = resolver.physical(apiId, `Resources.${apiId}`).ref;
  const belongsToApi = (resource: CfnResource, at: string) =>
    resolver.resolveString(resource.Properties?.ApiId, `${at}.ApiId`) === apiRef;

  const routes: LocalRoute[] = [];
  let jwt: LocalJwtAuthorizer | undefined;
  for (const [logicalId, route] of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
    const at = `Resources.${logicalId}.Properties`;
    if (!belongsToApi(route, at)) continue;
    const props = asObject(resolver.resolve(route.Properties ?? {}, at), at);
    const routeKey = asString(props.RouteKey, `${at}.RouteKey`);
    const target = asString(props.Target, `${at}.Target`);
    const integrationId = /^integrations\/(.+)$/.exec(target)?.[1];
    const integration = integrationId === undefined ? undefined : template.Resources[integrationId];
    if (integrationId === undefined || integration?.Type !== 'AWS::ApiGatewayV2::Integration') {
      throw new TemplateResolutionError(`${at}.Target`, `"${target}" is not an integration of this template`);
    }
    const integrationAt = `Resources.${integrationId}.Properties`;
    const integrationProps = asObject(
      resolver.resolve(integration.Properties ?? {}, integrationAt),
      integrationAt,
    );
    if (integrationProps.IntegrationType !== 'AWS_PROXY') {
      throw new TemplateResolutionError(
        `${integrationAt}.IntegrationType`,
        'the local router only runs Lambda proxy integrations',
      );
    }
    const uri = asString(integrationProps.IntegrationUri, `${integrationAt}.IntegrationUri`);
    // A Lambda ARN, or the REST-style `arn:…:apigateway:…:lambda:path/2015-03-31/functions/<arn>/invocations`.
    const functionArn = /\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1] ?? uri;
    const fn = Object.values(functions).find((candidate) => candidate.arn === functionArn);
    if (!fn)
      throw new TemplateResolutionError(
        `${integrationAt}.IntegrationUri`,
        `${functionArn} is not a local function`,
      );

    const authorizationType = oneOf(
      props.AuthorizationType ?? 'NONE',
      ['NONE', 'JWT', 'AWS_IAM', 'CUSTOM'] as const,
      `${at}.AuthorizationType`,
    );
    if (authorizationType === 'AWS_IAM' || authorizationType === 'CUSTOM') {
      throw new TemplateResolutionError(
        `${at}.AuthorizationType`,
        `${authorizationType} authorization is not supported locally`,
      );
    }
    if (authorizationType === 'JWT') {
      const found = readJwtAuthorizer(
        resolver,
        asString(props.AuthorizerId, `${at}.AuthorizerId`),
        `${at}.AuthorizerId`,
      );
      if (jwt && JSON.stringify(jwt) !== JSON.stringify(found)) {
        throw new TemplateResolutionError(
          `${at}.AuthorizerId`,
          'routes use different JWT authorizers; the local router supports one',
        );
      }
      jwt = found;
    }
    routes.push({
      routeKey,
      functionArn,
      functionLogicalId: fn.logicalId,
      authorizationType,
      ...optional(
        'authorizationScopes',
        props.AuthorizationScopes === undefined
          ? undefined
          : asArray(props.AuthorizationScopes, `${at}.AuthorizationScopes`).map((s, i) =>
              asString(s, `${at}.AuthorizationScopes[${i}]`),
            ),
      ),
      payloadFormatVersion: asString(
        integrationProps.PayloadFormatVersion ?? '2.0',
        `${integrationAt}.PayloadFormatVersion`,
      ),
    });
  }

  const corsAt = `Resources.${apiId}.Properties.CorsConfiguration`;
  const corsValue = api.Properties?.CorsConfiguration;
  return {
    logicalId: apiId,
    routes,
    ...optional('jwt', jwt),
    ...optional(
      'cors',
      corsValue === undefined
        ? undefined
        : readApiCors(asObject(resolver.resolve(corsValue, corsAt), corsAt), corsAt),
    ),
  };
}

function readJwtAuthorizer(resolver: Resolver, authorizerId: string, at: string): LocalJwtAuthorizer {
  const authorizer = resolver.template.Resources[authorizerId];
  if (authorizer?.Type !== 'AWS::ApiGatewayV2::Authorizer') {
    throw new TemplateResolutionError(at, `"${authorizerId}" is not an authorizer of this template`);
  }
  const where = `Resources.${authorizerId}.Properties`;
  const props = asObject(resolver.resolve(authorizer.Properties ?? {}, where), where);
  const config = asObject(props.JwtConfiguration, `${where}.JwtConfiguration`);
  const strings = (value: Json | undefined, path: string) =>
    asArray(value ?? [], path).map((s, i) => asString(s, `${path}[${i}]`));
  return {
    issuer: asString(config.Issuer, `${where}.JwtConfiguration.Issuer`),
    audience: strings(config.Audience, `${where}.JwtConfiguration.Audience`),
    identitySource: strings(props.IdentitySource, `${where}.IdentitySource`),
  };
}

function readApiCors(cors: Record<string, Json>, at: string): LocalCors {
  const strings = (name: string) =>
    asArray(cors[name] ?? [], `${at}.${name}`).map((s, i) => asString(s, `${at}.${name}[${i}]`));
  return {
    allowOrigins: strings('AllowOrigins'),
    allowMethods: strings('AllowMethods'),
    allowHeaders: strings('AllowHeaders'),
    exposeHeaders: strings('ExposeHeaders'),
    allowCredentials: cors.AllowCredentials === true,
    ...optional(
      'maxAgeSeconds',
      cors.MaxAge === undefined ? undefined : asNumber(cors.MaxAge, `${at}.MaxAge`),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Loading the template

/** The repository root, resolved from this file, never from the working directory. */
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where `cdk synth` writes the stack's template. */
export const DEFAULT_TEMPLATE_PATH = path.join(projectRoot, 'cdk.out', 'Laowu.template.json');

const templateSchema = z.looseObject({
  Resources: z.record(
    z.string(),
    z.looseObject({
      Type: z.string(),
      Properties: z.record(z.string(), z.json()).optional(),
      Metadata: z.record(z.string(), z.json()).optional(),
    }),
  ),
  Parameters: z
    .record(z.string(), z.looseObject({ Type: z.string().optional(), Default: z.json().optional() }))
    .optional(),
});

/** Checks that a value looks like a CloudFormation template (an object with typed resources). */
export function parseTemplate(value: unknown, source = 'template'): CfnTemplate {
  const parsed = templateSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${source} is not a CloudFormation template: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Reads a synthesized template, by default `cdk.out/Laowu.template.json` (`cdk synth` writes it). */
export async function loadTemplateFile(file: string = DEFAULT_TEMPLATE_PATH): Promise<CfnTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: run \`npm exec -- cdk synth --no-validation --quiet\` first`, {
      cause: error,
    });
  }
  return parseTemplate(JSON.parse(text), file);
}

/**
 * Synthesizes the CDK app in this process and returns the stack's template. Bundling is skipped
 * (the local cloud runs the TypeScript entries) and so is the slow built-in CloudFormation
 * validator; the cdk-nag packs still run. Context defaults to `cdk.json`'s.
 */
export async function synthTemplate(context: Readonly<Record<string, Json>> = {}): Promise<CfnTemplate> {
  const cdkJson = z
    .object({ context: z.record(z.string(), z.json()).default({}) })
    .parse(JSON.parse(await readFile(path.join(projectRoot, 'cdk.json'), 'utf8')));
  const { createApp } = await import('#infra/app');
  const outdir = await mkdtemp(path.join(tmpdir(), 'laowu-synth-'));
  const saved = {
    CDK_VALIDATION: process.env.CDK_VALIDATION,
    CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON,
    CDK_OUTDIR: process.env.CDK_OUTDIR,
  };
  try {
    // The App reads these when it is constructed; `aws:` context keys cannot be passed any other way
    // through createApp's string-valued context. From here to the restore nothing awaits, so no other
    // code of this process sees the variables.
    process.env.CDK_VALIDATION = 'false';
    process.env.CDK_OUTDIR = outdir;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({
      ...cdkJson.context,
      ...context,
      'aws:cdk:bundling-stacks': [],
    });
    const { app, stack } = createApp();
    return parseTemplate(app.synth().getStackByName(stack.stackName).template, `stack ${stack.stackName}`);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Narrowing helpers: template values are JSON; each read says what it expects and where.

function resourcesOfType(template: CfnTemplate, ...types: string[]): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => types.includes(resource.Type));
}

function asObject(value: Json | undefined, at: string): Record<string, Json> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  throw new TemplateResolutionError(at, `expected an object, got ${JSON.stringify(value)}`);
}

function asArray(value: Json | undefined, at: string): Json[] {
  if (Array.isArray(value)) return value;
  throw new TemplateResolutionError(at, `expected a list, got ${JSON.stringify(value)}`);
}

function asString(value: Json | undefined, at: string): string {
  if (typeof value === 'string') return value;
  throw new TemplateResolutionError(at, `expected a string, got ${JSON.stringify(value)}`);
}

function asNumber(value: Json | undefined, at: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number)) return number;
  throw new TemplateResolutionError(at, `expected a number, got ${JSON.stringify(value)}`);
}

function oneOf<const T extends string>(value: Json | undefined, allowed: readonly T[], at: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found !== undefined) return found;
  throw new TemplateResolutionError(
    at,
    `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

/** `{ [key]: value }` when the value is present, `{}` otherwise: keeps optional fields absent, not undefined. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
