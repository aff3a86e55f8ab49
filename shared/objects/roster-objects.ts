import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { lazyEnv } from '../config';

/**
 * S3 access of the roster pipeline, in the evidence bucket: the uploaded roster read as a stream
 * (never buffered whole), its error report written and handed out through a presigned GET.
 */
let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({});
  return client;
};
const bucket = lazyEnv('EVIDENCE_BUCKET');

export interface OpenedObject {
  /** Bytes as S3 sends them, chunk by chunk. */
  body: AsyncIterable<Uint8Array>;
  size: number;
  /** Stops the download (the rest of the body is not needed). */
  destroy(): void;
}

/** Opens an object for streaming; `undefined` when it no longer exists. */
export async function openObject(key: string): Promise<OpenedObject | undefined> {
  try {
    const result = await s3().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
    const body = result.Body as Readable;
    return {
      body,
      size: Number(result.ContentLength ?? 0),
      destroy: () => body.destroy(),
    };
  } catch (error) {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  }
}

/** Uploads a spooled error report (streamed from the file, with its length). */
export async function putErrorReport(key: string, file: { path: string; bytes: number }): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket(),
      Key: key,
      Body: fs.createReadStream(file.path),
      ContentLength: file.bytes,
      ContentType: 'text/csv; charset=utf-8',
    }),
  );
}

export const REPORT_DOWNLOAD_EXPIRY_SECONDS = 300;

/**
 * A short-lived GET URL for an error report, saved by the browser under `fileName`. The caller
 * decides who may have it (the owner and staff in scope) and needs `s3:GetObject` on the key.
 */
export async function presignErrorReportDownload(
  key: string,
  fileName: string,
): Promise<{ url: string; expiresAt: string }> {
  const url = await getSignedUrl(
    s3(),
    new GetObjectCommand({
      Bucket: bucket(),
      Key: key,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      ResponseContentType: 'text/csv; charset=utf-8',
    }),
    { expiresIn: REPORT_DOWNLOAD_EXPIRY_SECONDS },
  );
  return { url, expiresAt: new Date(Date.now() + REPORT_DOWNLOAD_EXPIRY_SECONDS * 1000).toISOString() };
}
