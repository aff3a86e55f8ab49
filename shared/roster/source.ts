/**
 * What a roster can be read from. An S3 `GetObject` body (a Node `Readable`), a web
 * `ReadableStream` (`transformToWebStream()`), `fs.createReadStream`, or an array of chunks in tests:
 * all are consumed chunk by chunk, never gathered into one buffer.
 */
import type { ReadableStream } from 'node:stream/web';

export type RosterSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | Iterable<Uint8Array>;

export async function* chunksOf(source: RosterSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (isAsyncIterable(source)) {
    for await (const chunk of source) yield asBytes(chunk);
  } else if (isWebStream(source)) {
    // Older web streams are not async-iterable; read them through a reader.
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield asBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for (const chunk of source) yield asBytes(chunk);
  }
}

function isAsyncIterable(source: RosterSource): source is AsyncIterable<Uint8Array> {
  return typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

function isWebStream(source: RosterSource): source is ReadableStream<Uint8Array> {
  return typeof (source as Partial<ReadableStream<Uint8Array>>).getReader === 'function';
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError(
    'roster source must yield bytes (Uint8Array/Buffer), not text: open it without an encoding',
  );
}
