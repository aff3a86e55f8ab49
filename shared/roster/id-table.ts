/**
 * Open-addressing hash table of packed citizen IDs (see `idKey`), three 32-bit words a slot:
 * key high, key low, and `firstRow << 4 | flags`. ~24–32 B per distinct ID at the load factors used,
 * against ~100 B for a `Set<number>` and far more for a `Set<string>` that pins decoded chunks.
 */
const STRIDE = 3;
const MAX_LOAD = 0.7;
const FLAG_BITS = 4;
const FLAG_MASK = (1 << FLAG_BITS) - 1;
/** Rows above this cannot be packed next to the flags (and are above every row cap anyway). */
export const ID_TABLE_MAX_ROW = 2 ** (32 - FLAG_BITS) - 1;

export class IdTable {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private growAt: number;
  /** Slot index (in words) of the last `upsert`, for `flags()`/`setFlags()`/`firstRow()`. */
  private at = 0;

  constructor(initialCapacity = 0) {
    let capacity = 1 << 14;
    while (capacity < initialCapacity && capacity < 1 << 26) capacity <<= 1;
    this.slots = new Uint32Array(capacity * STRIDE);
    this.mask = capacity - 1;
    this.growAt = Math.floor(capacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.slots.byteLength;
  }

  /**
   * Finds `(hi, lo)` or inserts it with `row`. Returns true when it was new. `hi` must be non-zero
   * (area codes start at 110000), since a zero `hi` marks an empty slot.
   */
  upsert(hi: number, lo: number, row: number): boolean {
    const slots = this.slots;
    let i = hash(hi, lo) & this.mask;
    for (;;) {
      const w = i * STRIDE;
      const h = slots[w] as number;
      if (h === 0) {
        slots[w] = hi;
        slots[w + 1] = lo;
        slots[w + 2] = row << FLAG_BITS;
        this.at = w;
        if (++this.count > this.growAt) {
          this.grow();
          this.find(hi, lo);
        }
        return true;
      }
      if (h === hi && slots[w + 1] === lo) {
        this.at = w;
        return false;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Row number stored with the ID of the last `upsert`. */
  firstRow(): number {
    return (this.slots[this.at + 2] as number) >>> FLAG_BITS;
  }

  flags(): number {
    return (this.slots[this.at + 2] as number) & FLAG_MASK;
  }

  /** ORs `bits` into the flags of the ID of the last `upsert`; returns the bits that were new. */
  addFlags(bits: number): number {
    const w = this.at + 2;
    const v = this.slots[w] as number;
    const added = bits & ~v & FLAG_MASK;
    if (added !== 0) this.slots[w] = (v | added) >>> 0;
    return added;
  }

  private find(hi: number, lo: number): void {
    const slots = this.slots;
    let i = hash(hi, lo) & this.mask;
    while (!(slots[i * STRIDE] === hi && slots[i * STRIDE + 1] === lo)) i = (i + 1) & this.mask;
    this.at = i * STRIDE;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Uint32Array(capacity * STRIDE);
    const mask = capacity - 1;
    for (let w = 0; w < old.length; w += STRIDE) {
      const hi = old[w] as number;
      if (hi === 0) continue;
      const lo = old[w + 1] as number;
      let i = hash(hi, lo) & mask;
      while (slots[i * STRIDE] !== 0) i = (i + 1) & mask;
      const n = i * STRIDE;
      slots[n] = hi;
      slots[n + 1] = lo;
      slots[n + 2] = old[w + 2] as number;
    }
    this.slots = slots;
    this.mask = mask;
    this.growAt = Math.floor(capacity * MAX_LOAD);
  }
}

/** murmur3 fmix32 over both words: IDs share long prefixes, so the low bits need real mixing. */
function hash(hi: number, lo: number): number {
  let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ lo;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
