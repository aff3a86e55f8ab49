/**
 * The person keys (base64url HMAC-SHA256 of an ID, 32 bytes) of one roster, collected during the
 * parse and written to the person index only once the roster verified: a refused roster claims
 * nobody. Kept as raw bytes in one growing buffer — 32 B a person, no string per person.
 */
const KEY_BYTES = 32;

export class PersonKeyCollector {
  private buf: Buffer;
  private count = 0;

  constructor(expected = 1024) {
    this.buf = Buffer.alloc(Math.max(16, Math.min(expected, 4_000_000)) * KEY_BYTES);
  }

  get size(): number {
    return this.count;
  }

  add(key: string): void {
    const at = this.count * KEY_BYTES;
    if (at + KEY_BYTES > this.buf.length) {
      const grown = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(grown);
      this.buf = grown;
    }
    const written = this.buf.write(key, at, KEY_BYTES, 'base64url');
    if (written !== KEY_BYTES) throw new RangeError('a person key is a base64url SHA-256 digest');
    this.count++;
  }

  *keys(): Generator<string, void, undefined> {
    for (let i = 0; i < this.count; i++) {
      yield this.buf.toString('base64url', i * KEY_BYTES, (i + 1) * KEY_BYTES);
    }
  }
}
