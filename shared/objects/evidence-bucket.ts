import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { lazyEnv } from '../config';

/** One S3 client per process; its endpoint comes from the standard SDK configuration. */
let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({});
  return client;
};
const bucket = lazyEnv('EVIDENCE_BUCKET');

export const UPLOAD_EXPIRY_SECONDS = 300;

/**
 * A presigned POST for exactly one object: the server's key, the slot's size range and the
 * declared content type are conditions of the signed policy, valid for five minutes.
 */
export async function presignUpload(input: { key: string; contentType: string; maxBytes: number }) {
  const { url, fields } = await createPresignedPost(s3(), {
    Bucket: bucket(),
    Key: input.key,
    Conditions: [
      ['eq', '$key', input.key],
      ['content-length-range', 1, input.maxBytes],
      ['eq', '$Content-Type', input.contentType],
    ],
    Fields: { 'Content-Type': input.contentType },
    Expires: UPLOAD_EXPIRY_SECONDS,
  });
  return { url, fields };
}

export interface ObjectDigest {
  size: number;
  sha256: string;
  head: Uint8Array;
  versionId?: string;
}

/**
 * Streams an object once, hashing it and keeping only its first bytes: never the whole object in
 * memory. `undefined` when the object no longer exists.
 */
export async function digestObject(
  key: string,
  headBytes = 8192,
  versionId?: string,
): Promise<ObjectDigest | undefined> {
  try {
    // With the event's version the hash is of exactly the object that arrived, not a later overwrite.
    const result = await s3().send(
      new GetObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
    const hash = createHash('sha256');
    const head = new Uint8Array(headBytes);
    let size = 0;
    for await (const chunk of result.Body as Readable) {
      const bytes = chunk as Uint8Array;
      if (size < headBytes) head.set(bytes.subarray(0, headBytes - size), size);
      hash.update(bytes);
      size += bytes.length;
    }
    return {
      size,
      sha256: hash.digest('hex'),
      head: head.subarray(0, Math.min(size, headBytes)),
      versionId: result.VersionId,
    };
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** The last bytes of an object (a ZIP's central directory). */
export async function readTail(key: string, bytes = 65_557): Promise<Uint8Array> {
  const result = await s3().send(
    new GetObjectCommand({ Bucket: bucket(), Key: key, Range: `bytes=-${bytes}` }),
  );
  return new Uint8Array(
    await (result.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

/**
 * Moves a refused object out of the upload prefix; the bucket's versioning keeps the original recoverable.
 * Given the arrived version, only that version is copied and removed, so an earlier accepted version
 * under the same key stays where the dossier names it.
 */
export async function quarantine(key: string, quarantineKey: string, versionId?: string): Promise<void> {
  const source = `${bucket()}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  await s3().send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: quarantineKey,
      CopySource: versionId ? `${source}?versionId=${encodeURIComponent(versionId)}` : source,
    }),
  );
  await s3().send(
    new DeleteObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
  );
}
