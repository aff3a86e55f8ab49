import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import { type SecretsManagerLocal, startSecretsManagerLocal } from '#local/secrets-manager';
import type { LocalSecret } from '#local/template';

const GENERATED: LocalSecret = {
  logicalId: 'StoragePersonKeySecret37EE728C',
  name: 'StoragePersonKeySecret37EE728C',
  arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:StoragePersonKeySecret37EE728C-a1b2c3',
  generate: {
    passwordLength: 64,
    excludeCharacters: '',
    excludeLowercase: false,
    excludeUppercase: false,
    excludeNumbers: false,
    excludePunctuation: true,
    includeSpace: false,
  },
};

function clientOf(endpoint: string) {
  return new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

describe('the local Secrets Manager serves the template’s secrets to the ordinary SDK client', () => {
  let running: SecretsManagerLocal | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('generates a value as GenerateSecretString asks, keeps it across a restart, and finds secrets by ARN or name', async () => {
    // Prepare
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-secrets-')), 'secrets.json');
    running = await startSecretsManagerLocal({ secrets: [GENERATED], file });

    // Act
    const first = await clientOf(running.endpoint).send(
      new GetSecretValueCommand({ SecretId: GENERATED.arn }),
    );
    await running.stop();
    running = await startSecretsManagerLocal({ secrets: [GENERATED], file });
    const again = await clientOf(running.endpoint).send(
      new GetSecretValueCommand({ SecretId: GENERATED.name }),
    );

    // Assess
    expect(first.SecretString).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(first.ARN).toBe(GENERATED.arn);
    expect(first.VersionStages).toEqual(['AWSCURRENT']);
    expect(again.SecretString).toBe(first.SecretString);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('answers an unknown secret as AWS does: ResourceNotFoundException', async () => {
    // Prepare
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'laowu-secrets-')), 'secrets.json');
    running = await startSecretsManagerLocal({
      secrets: [
        {
          logicalId: 'Plain',
          name: 'Plain',
          arn: 'arn:aws:secretsmanager:us-east-1:0:secret:Plain-abcdef',
          secretString: '{"a":1}',
        },
      ],
      file,
    });
    const client = clientOf(running.endpoint);

    // Act + Assess
    expect((await client.send(new GetSecretValueCommand({ SecretId: 'Plain' }))).SecretString).toBe(
      '{"a":1}',
    );
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
