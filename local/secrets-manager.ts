import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { LocalSecret } from './template';

/**
 * A minimal local Secrets Manager: the AWS JSON 1.1 protocol's `GetSecretValue` and
 * `DescribeSecret`, serving the template's `AWS::SecretsManager::Secret` resources. A generated
 * value is made once, as CloudFormation does on create, and kept under the data folder, so a
 * restart serves the same value (the person index written before it still matches). Functions reach
 * it through the standard `AWS_ENDPOINT_URL_SECRETS_MANAGER`, with the ordinary SDK client.
 */
export interface SecretsManagerLocal {
  endpoint: string;
  stop(): Promise<void>;
}

interface StoredSecret {
  value: string;
  versionId: string;
  createdAt: number;
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export async function startSecretsManagerLocal(options: {
  secrets: readonly LocalSecret[];
  /** The file generated values are kept in (created with mode 0600). */
  file: string;
  host?: string;
}): Promise<SecretsManagerLocal> {
  const stored = materialise(options.secrets, options.file);
  const find = (secretId: string) =>
    options.secrets.find(
      (secret) =>
        secret.arn === secretId || secret.name === secretId || secret.arn.startsWith(`${secretId}-`),
    );

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) =>
      reply(response, 500, { __type: 'InternalServiceError', message: String(error) }),
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = await readJson(request);
    if (request.method !== 'POST' || body === undefined) {
      reply(response, 400, { __type: 'SerializationException', message: 'expected a JSON POST' });
      return;
    }
    const operation = target.replace(/^secretsmanager\./, '');
    if (operation !== 'GetSecretValue' && operation !== 'DescribeSecret') {
      reply(response, 400, {
        __type: 'UnknownOperationException',
        message: `the local Secrets Manager serves GetSecretValue and DescribeSecret, not ${operation}`,
      });
      return;
    }
    const secretId = typeof body.SecretId === 'string' ? body.SecretId : '';
    const secret = find(secretId);
    const value = secret ? stored.get(secret.logicalId) : undefined;
    if (!secret || !value) {
      reply(response, 400, {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      });
      return;
    }
    const common = { ARN: secret.arn, Name: secret.name };
    if (operation === 'DescribeSecret') {
      reply(response, 200, {
        ...common,
        CreatedDate: value.createdAt,
        VersionIdsToStages: { [value.versionId]: ['AWSCURRENT'] },
      });
      return;
    }
    reply(response, 200, {
      ...common,
      VersionId: value.versionId,
      SecretString: value.value,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: value.createdAt,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Values of every secret: literal, already generated (from the file), or generated now and saved. */
function materialise(secrets: readonly LocalSecret[], file: string): Map<string, StoredSecret> {
  let saved: Record<string, StoredSecret> = {};
  if (fs.existsSync(file)) saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, StoredSecret>;
  const values = new Map<string, StoredSecret>();
  let changed = false;
  for (const secret of secrets) {
    const previous = saved[secret.logicalId];
    if (secret.secretString !== undefined) {
      values.set(secret.logicalId, {
        value: secret.secretString,
        versionId: previous?.versionId ?? crypto.randomUUID(),
        createdAt: previous?.createdAt ?? Math.floor(Date.now() / 1000),
      });
    } else if (previous && typeof previous.value === 'string') {
      values.set(secret.logicalId, previous);
    } else if (secret.generate) {
      const made = {
        value: generateValue(secret.generate),
        versionId: crypto.randomUUID(),
        createdAt: Math.floor(Date.now() / 1000),
      };
      values.set(secret.logicalId, made);
      saved[secret.logicalId] = made;
      changed = true;
    }
  }
  if (changed) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  }
  return values;
}

/** CloudFormation's GenerateSecretString: a random password, optionally inside a JSON template. */
export function generateValue(options: NonNullable<LocalSecret['generate']>): string {
  let alphabet = '';
  if (!options.excludeLowercase) alphabet += 'abcdefghijklmnopqrstuvwxyz';
  if (!options.excludeUppercase) alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (!options.excludeNumbers) alphabet += '0123456789';
  if (!options.excludePunctuation) alphabet += PUNCTUATION;
  if (options.includeSpace) alphabet += ' ';
  const allowed = [...alphabet].filter((c) => !options.excludeCharacters.includes(c));
  if (allowed.length === 0) throw new Error('GenerateSecretString leaves no character to use');
  let password = '';
  for (let i = 0; i < options.passwordLength; i++) password += allowed[randomInt(allowed.length)];
  if (options.secretStringTemplate === undefined || options.generateStringKey === undefined) return password;
  const template = JSON.parse(options.secretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [options.generateStringKey]: password });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function reply(response: ServerResponse, status: number, body: Record<string, unknown>): void {
  if (response.headersSent) return;
  const type = typeof body.__type === 'string' ? body.__type : undefined;
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  response.end(JSON.stringify(body));
}
