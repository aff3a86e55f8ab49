import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { lazyEnv } from '../config';

/** Certificate documents in the evidence bucket (`certificates/{roundId}/{certificateNo}.svg`). */
let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({});
  return client;
};
const bucket = lazyEnv('EVIDENCE_BUCKET');

export const CERTIFICATE_CONTENT_TYPE = 'image/svg+xml';

export async function putCertificateDocument(key: string, svg: string): Promise<void> {
  await s3().send(
    new PutObjectCommand({ Bucket: bucket(), Key: key, Body: svg, ContentType: CERTIFICATE_CONTENT_TYPE }),
  );
}

/** The stored document, or `undefined` when there is none (yet). */
export async function getCertificateDocument(key: string): Promise<string | undefined> {
  try {
    const result = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    return result.Body ? await result.Body.transformToString('utf-8') : undefined;
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}
