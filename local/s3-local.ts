import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CORSRule } from '@aws-sdk/client-s3';
import type { S3EventRecord } from 'aws-lambda';
import { z } from 'zod';
import type { LocalBucketNotification } from './template';

/**
 * Local S3: s3rver on 127.0.0.1 with the template's buckets and CORS rules, and its object events
 * turned into the records AWS delivers (DESIGN §7). s3rver's own records differ from AWS in ways a
 * handler notices (eventVersion 2.0, a malformed bucket ARN, keys not URL-encoded, multipart
 * completion reported as a POST, a sequencer that repeats within a millisecond); `normaliseS3Event`
 * fixes each. Deletes are not forwarded.
 *
 * What s3rver does not do and callers must not rely on (see notes/local-cloud-findings.md): SigV4
 * signatures are not verified, presigned POST policies (content-length-range, starts-with) are not
 * enforced, and there is no versioning (records carry no versionId).
 */

/**
 * s3rver knows one access key, `S3RVER` (it checks that the key exists, not the SigV4 signature).
 * Every local client, and so every function's AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, uses it;
 * DynamoDB Local accepts any key, so one pair serves both.
 */
export const S3_LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3LocalBucket {
  readonly name: string;
  readonly cors?: readonly CORSRule[];
}

export interface StartS3LocalOptions {
  /** Absolute directory for objects; a temporary one (removed on stop) when absent. */
  readonly dataDir?: string;
  /** TCP port; 0 or absent picks a free one. */
  readonly port?: number;
  /** The region in event records. Default `us-east-1`. */
  readonly region?: string;
  readonly buckets: readonly S3LocalBucket[];
  /** Called once per created object with the AWS-shaped record. Route it with `matchesNotification`. */
  readonly onObjectCreated?: (record: S3EventRecord) => void | Promise<void>;
  /** Where a failing `onObjectCreated` is reported. Default: `console.error`. */
  readonly onError?: (error: unknown, record: S3EventRecord) => void;
}

export interface S3Local {
  /** e.g. `http://127.0.0.1:4568`; clients need `forcePathStyle: true`. */
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  /** Milliseconds from start to listening. */
  readonly startupMs: number;
  /** Stops listening, waits for `onObjectCreated` calls in flight, removes a temporary data dir. */
  stop(): Promise<void>;
}

/** The part of s3rver (untyped, CommonJS) this module uses. */
interface S3rverApp {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  configureBuckets(): Promise<unknown>;
  on(event: 'event', listener: (event: unknown) => void): unknown;
  store: { getMetadata(bucket: string, key: string): Promise<Record<string, string> | undefined> };
  logger: { close(): void; exceptions: { unhandle(): void } };
}
type S3rverConstructor = new (options: {
  silent: boolean;
  directory: string;
  vhostBuckets: boolean;
  configureBuckets: { name: string; configs: string[] }[];
}) => S3rverApp;

const requestContext = new AsyncLocalStorage<{ completesMultipartUpload: boolean }>();

export async function startS3Local(options: StartS3LocalOptions): Promise<S3Local> {
  const started = performance.now();
  if (options.dataDir !== undefined && !path.isAbsolute(options.dataDir)) {
    throw new Error(`dataDir must be absolute, got "${options.dataDir}"`);
  }
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'laowu-s3-')));
  await mkdir(dataDir, { recursive: true });
  const region = options.region ?? 'us-east-1';

  const S3rver: S3rverConstructor = createRequire(import.meta.url)('s3rver');
  const s3rver = new S3rver({
    silent: true,
    directory: dataDir,
    // Path-style only: the endpoint is an IP address, and clients set forcePathStyle.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((bucket) => ({
      name: bucket.name,
      configs: bucket.cors && bucket.cors.length > 0 ? [corsXml(bucket.cors)] : [],
    })),
  });
  await s3rver.configureBuckets();

  const inFlight = new Set<Promise<void>>();
  const onError =
    options.onError ??
    ((error: unknown, record: S3EventRecord) =>
      console.error(
        `s3-local: onObjectCreated failed for ${record.s3.bucket.name}/${record.s3.object.key}`,
        error,
      ));

  s3rver.on('event', (event) => {
    const parsed = s3rverEventSchema.safeParse(event);
    if (!parsed.success) {
      console.error(`s3-local: unexpected s3rver event: ${z.prettifyError(parsed.error)}`);
      return;
    }
    const completesMultipartUpload = requestContext.getStore()?.completesMultipartUpload ?? false;
    for (const raw of parsed.data.Records) {
      if (!raw.eventName.startsWith('ObjectCreated:')) continue;
      const delivery = (async () => {
        // s3rver leaves the ETag out of copy events; AWS sends it.
        const eTag =
          raw.s3.object.eTag ??
          unquote((await s3rver.store.getMetadata(raw.s3.bucket.name, raw.s3.object.key))?.etag);
        const record = normaliseS3Event(
          { ...raw, s3: { ...raw.s3, object: { ...raw.s3.object, ...(eTag ? { eTag } : {}) } } },
          {
            region,
            ...(completesMultipartUpload ? { eventName: 'ObjectCreated:CompleteMultipartUpload' } : {}),
          },
        );
        try {
          await options.onObjectCreated?.(record);
        } catch (error) {
          onError(error, record);
        }
      })();
      inFlight.add(delivery);
      void delivery.finally(() => inFlight.delete(delivery));
    }
  });

  const handle = s3rver.callback();
  const server = createServer((req, res) => {
    // CompleteMultipartUpload is `POST /<bucket>/<key>?uploadId=…`; s3rver reports it as a POST.
    const completesMultipartUpload = req.method === 'POST' && /[?&]uploadId=/.test(req.url ?? '');
    normaliseCopySource(req);
    requestContext.run({ completesMultipartUpload }, () => handle(req, res));
  });
  const port = await listen(server, options.port ?? 0);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      await Promise.allSettled([...inFlight]);
      s3rver.logger.exceptions.unhandle();
      s3rver.logger.close();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    startupMs: Math.round(performance.now() - started),
    stop,
  };
}

// ---------------------------------------------------------------------------------------------
// Event records

const s3rverRecordSchema = z.looseObject({
  eventTime: z.string(),
  eventName: z.string(),
  userIdentity: z.looseObject({ principalId: z.string() }).optional(),
  requestParameters: z.looseObject({ sourceIPAddress: z.string().optional() }).optional(),
  responseElements: z.looseObject({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }).optional(),
  s3: z.looseObject({
    configurationId: z.string().optional(),
    bucket: z.looseObject({
      name: z.string(),
      ownerIdentity: z.looseObject({ principalId: z.string() }).optional(),
    }),
    object: z.looseObject({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string().optional(),
    }),
  }),
});
const s3rverEventSchema = z.object({ Records: z.array(s3rverRecordSchema) });

/** An event record as s3rver emits it (key not encoded), after validation. */
export type S3rverEventRecord = z.infer<typeof s3rverRecordSchema>;

export interface NormaliseOptions {
  readonly region: string;
  /** Overrides s3rver's event name, e.g. `ObjectCreated:CompleteMultipartUpload`. */
  readonly eventName?: string;
  /** Default: the next value of this process's monotonic sequencer. */
  readonly sequencer?: string;
  /** The notification's configuration id. Default: s3rver's. */
  readonly configurationId?: string;
}

/**
 * The AWS S3 event record for an s3rver record: eventVersion 2.1, the given region, a well-formed
 * bucket ARN, the key URL-encoded as AWS encodes it, and a sequencer that grows with every event of
 * this process (AWS orders events of one key by sequencer; s3rver's repeats within a millisecond).
 */
export function normaliseS3Event(raw: S3rverEventRecord, options: NormaliseOptions): S3EventRecord {
  const { bucket, object } = raw.s3;
  const { versionId } = object;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: options.region,
    eventTime: raw.eventTime,
    eventName: options.eventName ?? raw.eventName,
    userIdentity: { principalId: raw.userIdentity?.principalId ?? 'AWS:LOCAL' },
    requestParameters: { sourceIPAddress: raw.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': raw.responseElements?.['x-amz-request-id'] ?? '0000000000000000',
      'x-amz-id-2': raw.responseElements?.['x-amz-id-2'] ?? '',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: options.configurationId ?? raw.s3.configurationId ?? 'local',
      bucket: {
        name: bucket.name,
        ownerIdentity: { principalId: bucket.ownerIdentity?.principalId ?? 'LOCAL' },
        arn: `arn:aws:s3:::${bucket.name}`,
      },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size ?? 0,
        eTag: object.eTag ?? '',
        ...(versionId === undefined ? {} : { versionId }),
        sequencer: options.sequencer ?? nextSequencer(),
      },
    },
  };
}

/**
 * Encodes an object key as it appears in S3 event records: form encoding (space → `+`, `+` → `%2B`,
 * UTF-8 bytes as `%XX`) with `/` kept. The safe set is Java's URLEncoder's (`A–Z a–z 0–9 . - * _`),
 * which is what S3 applies; `decodeS3EventKey` (or `decodeURIComponent(key.replace(/\+/g, ' '))`)
 * gives the exact key back.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

export function decodeS3EventKey(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

let lastSequencer = 0n;

/**
 * Sequencers of this process: 16 upper-case hex digits (fixed width, so string order is numeric
 * order), milliseconds since the epoch shifted left 16 bits, plus one for each event in the same
 * millisecond. Time-based, so events after a restart still sort after the ones before.
 */
export function nextSequencer(now: number = Date.now()): string {
  const candidate = BigInt(now) << 16n;
  lastSequencer = candidate > lastSequencer ? candidate : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(16, '0');
}

/**
 * Whether a bucket notification (events and prefix/suffix filter, as in the template) selects a
 * record. S3 filters on the object key itself, so the record's encoded key is decoded first.
 */
export function matchesNotification(
  config: Pick<LocalBucketNotification, 'events' | 'prefix' | 'suffix'>,
  record: S3EventRecord,
): boolean {
  const eventMatches = config.events.some((pattern) => {
    const wanted = pattern.replace(/^s3:/, '');
    return wanted.endsWith(':*')
      ? record.eventName.startsWith(wanted.slice(0, -1))
      : record.eventName === wanted;
  });
  if (!eventMatches) return false;
  const key = decodeS3EventKey(record.s3.object.key);
  return key.startsWith(config.prefix ?? '') && key.endsWith(config.suffix ?? '');
}

// ---------------------------------------------------------------------------------------------
// CORS

/** s3rver takes a bucket's CORS rules as the XML document of PutBucketCors. */
export function corsXml(rules: readonly CORSRule[]): string {
  const elements = (name: string, values: readonly string[] | undefined) =>
    (values ?? []).map((value) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  const body = rules
    .map(
      (rule) =>
        `<CORSRule>${rule.ID ? `<ID>${escapeXml(rule.ID)}</ID>` : ''}${elements('AllowedOrigin', rule.AllowedOrigins)}${elements(
          'AllowedMethod',
          rule.AllowedMethods,
        )}${elements('AllowedHeader', rule.AllowedHeaders)}${elements('ExposeHeader', rule.ExposeHeaders)}${
          rule.MaxAgeSeconds === undefined ? '' : `<MaxAgeSeconds>${rule.MaxAgeSeconds}</MaxAgeSeconds>`
        }</CORSRule>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</CORSConfiguration>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unquote(etag: string | undefined): string | undefined {
  return etag?.replace(/^"|"$/g, '');
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * AWS URL-decodes `x-amz-copy-source` fully; s3rver uses `decodeURI`, which leaves `%2B`, `%2C`,
 * `%3A` … encoded and so misses keys holding those characters. Re-encode the header so s3rver's
 * decoding yields the key AWS would.
 */
function normaliseCopySource(req: IncomingMessage): void {
  const header = req.headers['x-amz-copy-source'];
  if (typeof header !== 'string') return;
  try {
    req.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(header));
  } catch {
    // A malformed header goes through untouched; s3rver answers it as AWS would (an error).
  }
}
