import { createHash } from 'node:crypto';

/**
 * A small CloudFormation intrinsic resolver for reading the synthesized template back locally.
 * It resolves exactly what the CDK app emits where the local cloud looks (function environments,
 * table and bucket properties, state machine definitions, API routes): `Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub` (both forms), `Fn::Select`, `Fn::Split` and the pseudo parameters. Anything
 * else throws with the path where it was found, so a new construct never resolves to something
 * silently wrong. Resources get stable local physical names (same template → same names), so data
 * kept in `.data/` is found again after a restart.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A template resource; only the fields the local cloud reads are typed. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, Json>;
  Metadata?: Record<string, Json>;
  [field: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, { Type?: string; Default?: Json; [field: string]: unknown }>;
  [field: string]: unknown;
}

export interface ResolveOptions {
  /** AWS::Region; also the region in every local ARN. Default `us-east-1`. */
  readonly region?: string;
  /** AWS::StackName, and the prefix of local table and bucket names. Default `Laowu`. */
  readonly stackName?: string;
  /** Values for template parameters, over their defaults. */
  readonly parameters?: Readonly<Record<string, string>>;
}

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_PARTITION = 'aws';
export const LOCAL_URL_SUFFIX = 'amazonaws.com';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_STACK_NAME = 'Laowu';

export class TemplateResolutionError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'TemplateResolutionError';
  }
}

/** The local stand-ins for a resource: what `Ref` returns and each `Fn::GetAtt` attribute. */
export interface LocalPhysicalResource {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Resolver {
  readonly template: CfnTemplate;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
  /** Any template value with its intrinsics replaced; `path` names where it sits, for errors. */
  resolve(value: Json | undefined, path: string): Json | undefined;
  /** Like `resolve`, but the result must be a string. */
  resolveString(value: Json | undefined, path: string): string;
  /** The local physical resource behind a logical id. */
  physical(logicalId: string, path: string): LocalPhysicalResource;
}

const PSEUDO_PARAMETERS = [
  'AWS::Partition',
  'AWS::Region',
  'AWS::AccountId',
  'AWS::URLSuffix',
  'AWS::StackName',
];

export function createResolver(template: CfnTemplate, options: ResolveOptions = {}): Resolver {
  const region = options.region ?? DEFAULT_REGION;
  const stackName = options.stackName ?? DEFAULT_STACK_NAME;
  const accountId = LOCAL_ACCOUNT_ID;
  const partition = LOCAL_PARTITION;
  const names = localNames(template, stackName);
  const physicalCache = new Map<string, LocalPhysicalResource>();

  const pseudo: Record<string, string> = {
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::URLSuffix': LOCAL_URL_SUFFIX,
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${stableUuid(stackName)}`,
  };

  function physical(logicalId: string, path: string): LocalPhysicalResource {
    const cached = physicalCache.get(logicalId);
    if (cached) return cached;
    const resource = template.Resources[logicalId];
    if (!resource) throw new TemplateResolutionError(path, `no resource "${logicalId}" in the template`);
    const made = localPhysicalResource(logicalId, resource, {
      region,
      accountId,
      partition,
      stackName,
      names,
      resolveProperty: (name) =>
        resolve(resource.Properties?.[name], `Resources.${logicalId}.Properties.${name}`),
      path,
    });
    physicalCache.set(logicalId, made);
    return made;
  }

  function ref(name: string, path: string): Json {
    if (name in pseudo) return pseudo[name] ?? '';
    if (name.startsWith('AWS::')) {
      throw new TemplateResolutionError(
        path,
        `unsupported pseudo parameter ${name} (supported: ${PSEUDO_PARAMETERS.join(', ')})`,
      );
    }
    const parameter = template.Parameters?.[name];
    if (parameter) {
      const value = options.parameters?.[name] ?? parameter.Default;
      if (value === undefined)
        throw new TemplateResolutionError(path, `parameter "${name}" has no value and no default`);
      return value;
    }
    return physical(name, path).ref;
  }

  function getAtt(logicalId: string, attribute: string, path: string): string {
    const resource = physical(logicalId, path);
    const value = resource.attributes[attribute];
    if (value === undefined) {
      const type = template.Resources[logicalId]?.Type ?? 'unknown';
      throw new TemplateResolutionError(
        path,
        `no local value for Fn::GetAtt ${logicalId}.${attribute} (${type})`,
      );
    }
    return value;
  }

  function sub(text: string, variables: Record<string, Json>, path: string): string {
    return text.replace(/\$\{([^}]*)\}/g, (_match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in variables) return asString(variables[name] ?? null, `${path}{${name}}`);
      if (
        name in pseudo ||
        template.Parameters?.[name] ||
        template.Resources[name] ||
        name.startsWith('AWS::')
      ) {
        return asString(ref(name, path), path);
      }
      const dot = name.indexOf('.');
      if (dot > 0) return getAtt(name.slice(0, dot), name.slice(dot + 1), path);
      throw new TemplateResolutionError(
        path,
        `Fn::Sub variable \${${name}} is neither a variable, a parameter nor a resource`,
      );
    });
  }

  function intrinsic(name: string, argument: Json, path: string): Json {
    const at = `${path}.${name}`;
    switch (name) {
      case 'Ref': {
        if (typeof argument !== 'string')
          throw new TemplateResolutionError(at, 'Ref takes a logical id or parameter name');
        return ref(argument, at);
      }
      case 'Fn::GetAtt': {
        let logicalId: Json | undefined;
        let attribute: Json | undefined;
        if (typeof argument === 'string') {
          const dot = argument.indexOf('.');
          [logicalId, attribute] =
            dot > 0 ? [argument.slice(0, dot), argument.slice(dot + 1)] : [argument, ''];
        } else if (Array.isArray(argument) && argument.length === 2) {
          logicalId = argument[0];
          attribute = resolve(argument[1], `${at}[1]`);
        }
        if (typeof logicalId !== 'string' || typeof attribute !== 'string' || attribute === '') {
          throw new TemplateResolutionError(
            at,
            'Fn::GetAtt takes [logicalId, attribute] or "logicalId.attribute"',
          );
        }
        return getAtt(logicalId, attribute, at);
      }
      case 'Fn::Join': {
        if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
          throw new TemplateResolutionError(at, 'Fn::Join takes [delimiter, list]');
        }
        const list = resolve(argument[1], `${at}[1]`);
        if (!Array.isArray(list)) throw new TemplateResolutionError(`${at}[1]`, 'Fn::Join needs a list');
        return list.map((item, i) => asString(item, `${at}[1][${i}]`)).join(argument[0]);
      }
      case 'Fn::Sub': {
        if (typeof argument === 'string') return sub(argument, {}, at);
        if (Array.isArray(argument) && argument.length === 2 && typeof argument[0] === 'string') {
          const variables = resolve(argument[1], `${at}[1]`);
          if (!isObject(variables))
            throw new TemplateResolutionError(`${at}[1]`, 'Fn::Sub variables must be an object');
          return sub(argument[0], variables, at);
        }
        throw new TemplateResolutionError(at, 'Fn::Sub takes a string or [string, variables]');
      }
      case 'Fn::Select': {
        if (!Array.isArray(argument) || argument.length !== 2) {
          throw new TemplateResolutionError(at, 'Fn::Select takes [index, list]');
        }
        const index = Number(resolve(argument[0], `${at}[0]`));
        const list = resolve(argument[1], `${at}[1]`);
        if (!Array.isArray(list)) throw new TemplateResolutionError(`${at}[1]`, 'Fn::Select needs a list');
        if (!Number.isInteger(index) || index < 0 || index >= list.length) {
          throw new TemplateResolutionError(
            at,
            `Fn::Select index ${String(argument[0])} is outside the list`,
          );
        }
        return list[index] ?? null;
      }
      case 'Fn::Split': {
        if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
          throw new TemplateResolutionError(at, 'Fn::Split takes [delimiter, string]');
        }
        return asString(resolve(argument[1], `${at}[1]`) ?? null, `${at}[1]`).split(argument[0]);
      }
      default:
        throw new TemplateResolutionError(at, `unsupported intrinsic function ${name}`);
    }
  }

  function resolve(value: Json | undefined, path: string): Json | undefined {
    if (value === undefined || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item, i) => resolve(item, `${path}[${i}]`) ?? null);
    const keys = Object.keys(value);
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && isIntrinsic(only, value[only])) {
      return intrinsic(only, value[only] ?? null, path);
    }
    const out: Record<string, Json> = {};
    for (const key of keys) {
      const resolved = resolve(value[key], `${path}.${key}`);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }

  function resolveString(value: Json | undefined, path: string): string {
    return asString(resolve(value, path) ?? null, path);
  }

  return { template, region, accountId, partition, stackName, resolve, resolveString, physical };
}

/** `Ref`, every `Fn::*`, and `{ Condition: name }` (only meaningful inside condition functions, so unsupported). */
function isIntrinsic(key: string, argument: Json | undefined): boolean {
  return key === 'Ref' || key.startsWith('Fn::') || (key === 'Condition' && typeof argument === 'string');
}

function asString(value: Json, path: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateResolutionError(path, `expected a string, got ${JSON.stringify(value)}`);
}

function isObject(value: Json | undefined): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A UUID-shaped id derived from a name: stable across runs, distinct per name. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Local physical names

/**
 * `StorageCases45136476` → `storage-cases`: the CDK logical id without its 8-hex-digit path hash,
 * split at case changes. Readable in the DynamoDB Local shell and in s3rver's directory.
 */
export function readableName(logicalId: string): string {
  const withoutHash = /^(.+?)[0-9A-F]{8}$/.exec(logicalId)?.[1] ?? logicalId;
  return withoutHash
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

const TABLE_TYPES = new Set(['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table']);
const BUCKET_TYPE = 'AWS::S3::Bucket';

/**
 * Default names of tables and buckets without an explicit name: `<stack>-<readable logical id>`
 * (as CloudFormation prefixes generated names with the stack name). Should two logical ids read the
 * same, both fall back to the full lowercased logical id, which is unique.
 */
function localNames(template: CfnTemplate, stackName: string): Map<string, string> {
  const candidates = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (TABLE_TYPES.has(resource.Type) || resource.Type === BUCKET_TYPE) {
      candidates.set(logicalId, `${readableName(stackName)}-${readableName(logicalId)}`);
    }
  }
  const counts = new Map<string, number>();
  for (const name of candidates.values()) counts.set(name, (counts.get(name) ?? 0) + 1);
  const names = new Map<string, string>();
  for (const [logicalId, name] of candidates) {
    const unique =
      (counts.get(name) ?? 0) > 1 ? `${readableName(stackName)}-${logicalId.toLowerCase()}` : name;
    const isBucket = template.Resources[logicalId]?.Type === BUCKET_TYPE;
    names.set(logicalId, isBucket ? dnsSafeBucketName(unique) : unique.slice(0, 255));
  }
  return names;
}

/** S3 bucket rules: 3–63 characters of `a-z0-9.-`, starting and ending with a letter or digit. */
export function dnsSafeBucketName(name: string): string {
  let safe = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  if (safe.length > 63) {
    const hash = createHash('sha256').update(safe).digest('hex').slice(0, 8);
    safe = `${safe.slice(0, 54).replace(/-+$/, '')}-${hash}`;
  }
  while (safe.length < 3) safe = `${safe}0`;
  return safe;
}

interface PhysicalContext {
  region: string;
  accountId: string;
  partition: string;
  stackName: string;
  names: Map<string, string>;
  resolveProperty(name: string): Json | undefined;
  path: string;
}

function localPhysicalResource(
  logicalId: string,
  resource: CfnResource,
  ctx: PhysicalContext,
): LocalPhysicalResource {
  const { region, accountId, partition } = ctx;
  const arn = (service: string, rest: string, inRegion = region) =>
    `arn:${partition}:${service}:${inRegion}:${accountId}:${rest}`;
  const explicit = (property: string): string | undefined => {
    const value = ctx.resolveProperty(property);
    return typeof value === 'string' ? value : undefined;
  };

  switch (resource.Type) {
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table': {
      const name = explicit('TableName') ?? ctx.names.get(logicalId) ?? logicalId;
      const tableArn = arn('dynamodb', `table/${name}`);
      return {
        ref: name,
        attributes: { Arn: tableArn, StreamArn: `${tableArn}/stream/1970-01-01T00:00:00.000` },
      };
    }
    case 'AWS::S3::Bucket': {
      const name = explicit('BucketName') ?? ctx.names.get(logicalId) ?? dnsSafeBucketName(logicalId);
      return {
        ref: name,
        attributes: {
          Arn: `arn:${partition}:s3:::${name}`,
          DomainName: `${name}.s3.${LOCAL_URL_SUFFIX}`,
          RegionalDomainName: `${name}.s3.${region}.${LOCAL_URL_SUFFIX}`,
          DualStackDomainName: `${name}.s3.dualstack.${region}.${LOCAL_URL_SUFFIX}`,
          WebsiteURL: `http://${name}.s3-website-${region}.${LOCAL_URL_SUFFIX}`,
        },
      };
    }
    case 'AWS::Lambda::Function': {
      // The logical id is the function name locally: unique, stable and readable in logs.
      return { ref: logicalId, attributes: { Arn: arn('lambda', `function:${logicalId}`) } };
    }
    case 'AWS::StepFunctions::StateMachine': {
      const name = explicit('StateMachineName') ?? logicalId;
      const machineArn = arn('states', `stateMachine:${name}`);
      return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
    }
    case 'AWS::KMS::Key': {
      const keyId = stableUuid(`${ctx.stackName}/${logicalId}`);
      return { ref: keyId, attributes: { Arn: arn('kms', `key/${keyId}`), KeyId: keyId } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = explicit('LogGroupName') ?? `/local/${ctx.stackName}/${logicalId}`;
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    }
    case 'AWS::SQS::Queue': {
      const name = explicit('QueueName') ?? `${ctx.stackName}-${logicalId}`;
      return {
        ref: `https://sqs.${region}.${LOCAL_URL_SUFFIX}/${accountId}/${name}`,
        attributes: {
          Arn: arn('sqs', name),
          QueueName: name,
          QueueUrl: `https://sqs.${region}.${LOCAL_URL_SUFFIX}/${accountId}/${name}`,
        },
      };
    }
    case 'AWS::SNS::Topic': {
      const name = explicit('TopicName') ?? `${ctx.stackName}-${logicalId}`;
      const topicArn = arn('sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::IAM::Role': {
      const name = explicit('RoleName') ?? `${ctx.stackName}-${logicalId}`.slice(0, 64);
      return {
        ref: name,
        attributes: {
          Arn: `arn:${partition}:iam::${accountId}:role/${name}`,
          RoleId: `AROA${logicalId.toUpperCase()}`,
        },
      };
    }
    case 'AWS::SecretsManager::Secret': {
      // CloudFormation names a secret `<logicalId>-<random>`; Ref is its ARN, which ends in a
      // 6-character suffix. Both are stable here (same template → same ARN).
      const name = explicit('Name') ?? logicalId;
      const suffix = createHash('sha256').update(`${ctx.stackName}/${logicalId}`).digest('hex').slice(0, 6);
      const secretArn = arn('secretsmanager', `secret:${name}-${suffix}`);
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::ApiGatewayV2::Api': {
      const apiId = logicalId.toLowerCase();
      return {
        ref: apiId,
        attributes: {
          ApiId: apiId,
          ApiEndpoint: `https://${apiId}.execute-api.${region}.${LOCAL_URL_SUFFIX}`,
        },
      };
    }
    case 'AWS::ApiGatewayV2::Authorizer':
    case 'AWS::ApiGatewayV2::Integration':
    case 'AWS::ApiGatewayV2::Route':
    case 'AWS::ApiGatewayV2::Stage':
      return { ref: logicalId, attributes: {} };
    default:
      throw new TemplateResolutionError(
        ctx.path,
        `no local physical name for ${resource.Type} "${logicalId}"; teach local/template/resolver.ts about it`,
      );
  }
}
