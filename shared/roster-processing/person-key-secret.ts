import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lazyEnv } from '../config';

/**
 * The HMAC secret of the person index: a Secrets Manager secret that CloudFormation generates (its
 * value is never in the template), named by ARN in `PERSON_KEY_SECRET_ARN`, fetched once per cold
 * start. Locally the same call reaches the local Secrets Manager endpoint
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`), which serves the template's secret.
 */
const secretArn = lazyEnv('PERSON_KEY_SECRET_ARN');
let cached: Promise<string> | undefined;

export function personKeySecret(): Promise<string> {
  cached ??= fetchSecret().catch((error: unknown) => {
    cached = undefined; // a failed fetch is retried by the next invocation, not cached
    throw error;
  });
  return cached;
}

async function fetchSecret(): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn() }));
    const value = result.SecretString;
    if (value === undefined || value.length < 32) {
      throw new Error('the person key secret is missing or shorter than 32 characters');
    }
    return value;
  } finally {
    client.destroy();
  }
}
