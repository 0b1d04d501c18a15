// HMAC-SHA256 (RFC 2104) from two one-shot SHA-256 hashes. The audit worker computes two MACs per
// record; createHmac builds a stream object per MAC (JS allocations, a KeyObject lookup, three
// native calls), which cost more than hashing a record's few hundred bytes. Here the key's padded
// blocks are made once, and a MAC is two calls to crypto.hash over reused buffers:
//   HMAC(K, m) = SHA256((K0 ⊕ opad) ‖ SHA256((K0 ⊕ ipad) ‖ m)),  K0 = K (or SHA256(K) when longer
//   than the 64-byte block), zero-padded to 64 bytes.
// test/audit/hmac.test.ts holds it to createHmac and to the RFC 4231 vectors.

import { hash } from 'node:crypto';

const encoder = new TextEncoder();
const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
/** Messages up to this many UTF-16 units are encoded into a reused buffer; longer ones get their own. */
const SCRATCH_UNITS = 16 * 1024;
/** One UTF-16 code unit never takes more than three UTF-8 bytes (a surrogate pair takes four for two). */
const MAX_UTF8_PER_UNIT = 3;

export class HmacSha256 {
  /**
   * K0 ⊕ ipad, followed by room for a message, so the inner hash is one call over one buffer. A plain
   * Uint8Array, not a Buffer: its fill is V8's builtin, where Buffer#fill first checks its arguments
   * in JavaScript, which cost more than zeroing a record's bytes.
   */
  readonly #inner: Uint8Array;
  /** The part of #inner after the key block. */
  readonly #message: Uint8Array;
  /** K0 ⊕ opad, followed by the inner digest. */
  readonly #outer: Uint8Array;

  constructor(key: Uint8Array) {
    const block = new Uint8Array(BLOCK_BYTES);
    if (key.length > BLOCK_BYTES) block.set(hash('sha256', key, 'buffer'));
    else block.set(key);
    this.#inner = new Uint8Array(BLOCK_BYTES + SCRATCH_UNITS * MAX_UTF8_PER_UNIT);
    this.#message = this.#inner.subarray(BLOCK_BYTES);
    this.#outer = new Uint8Array(BLOCK_BYTES + DIGEST_BYTES);
    for (let i = 0; i < BLOCK_BYTES; i++) {
      this.#inner[i] = block[i]! ^ 0x36;
      this.#outer[i] = block[i]! ^ 0x5c;
    }
    block.fill(0);
  }

  /** The MAC of the UTF-8 encoding of `message` (lone surrogates encode as U+FFFD, as in Hmac.update), in hex. */
  hex(message: string): string {
    // A 'binary' (latin1) string carries the digest's bytes unchanged and, unlike a 'buffer' result,
    // needs no new Buffer from native code: about half the cost of hash(…, 'buffer') and a copy.
    let innerDigest: string;
    if (message.length <= SCRATCH_UNITS) {
      // encodeInto skips Buffer#write's argument checks: half the cost for a record-sized message.
      const { written } = encoder.encodeInto(message, this.#message);
      innerDigest = hash('sha256', this.#inner.subarray(0, BLOCK_BYTES + written), 'binary');
      // The message can hold argument values that the record keeps only as a keyed hash: they are
      // not left behind in a buffer that lives as long as the key.
      this.#message.fill(0, 0, written);
    } else {
      innerDigest = hash('sha256', Buffer.concat([this.#inner.subarray(0, BLOCK_BYTES), Buffer.from(message, 'utf8')]), 'binary');
    }
    // 32 latin1 code units, each one byte of the digest: a loop costs less than Buffer#write's checks.
    const outer = this.#outer;
    for (let i = 0; i < DIGEST_BYTES; i++) outer[BLOCK_BYTES + i] = innerDigest.charCodeAt(i);
    return hash('sha256', outer, 'hex');
  }
}
