/**
 * ECDSA signature encodings: WebCrypto signs and verifies the fixed-size `r‖s` form, cosign
 * (and OpenSSL, Go, Python's `cryptography`) exchange ASN.1 DER `SEQUENCE { INTEGER r,
 * INTEGER s }`. Strict DER only: minimal lengths and integers, nothing after the sequence.
 *
 * @module
 */

/**
 * Converts a DER ECDSA signature to `r‖s` with each half `size` bytes (32 for P-256, 48 for
 * P-384); undefined when the bytes are not a strict DER signature of that size.
 *
 * @example
 * ```ts
 * import { derToRawSignature, rawToDerSignature } from "./ecdsa_der.ts";
 * import assert from "node:assert/strict";
 *
 * const raw = new Uint8Array(64).fill(0x80);
 * const der = rawToDerSignature(raw);
 * assert.equal(der[0], 0x30);
 * assert.deepEqual(derToRawSignature(der, 32), raw);
 * assert.equal(derToRawSignature(new Uint8Array([0x30, 0x00]), 32), undefined);
 * ```
 *
 * @param der The DER bytes.
 * @param size Bytes of each of `r` and `s`.
 * @returns `r‖s`, or undefined.
 */
export function derToRawSignature(der: Uint8Array, size: number): Uint8Array | undefined {
  if (der.length < 8 || der[0] !== 0x30) return undefined;
  const seq = readLength(der, 1);
  if (seq === undefined || seq.start + seq.length !== der.length) return undefined;
  const raw = new Uint8Array(size * 2);
  let at = seq.start;
  for (const half of [0, 1]) {
    if (der[at] !== 0x02) return undefined;
    const int = readLength(der, at + 1);
    if (int === undefined || int.length === 0 || int.start + int.length > der.length) {
      return undefined;
    }
    let value = der.subarray(int.start, int.start + int.length);
    if ((value[0]! & 0x80) !== 0) return undefined; // negative
    if (value.length > 1 && value[0] === 0 && (value[1]! & 0x80) === 0) return undefined;
    if (value[0] === 0) value = value.subarray(1);
    if (value.length > size) return undefined;
    raw.set(value, half * size + size - value.length);
    at = int.start + int.length;
  }
  return at === der.length ? raw : undefined;
}

/**
 * Converts an `r‖s` ECDSA signature to DER.
 *
 * @example
 * ```ts
 * import { rawToDerSignature } from "./ecdsa_der.ts";
 * import assert from "node:assert/strict";
 *
 * const raw = new Uint8Array(64);
 * raw[31] = 1;
 * raw[63] = 2;
 * assert.deepEqual(rawToDerSignature(raw), new Uint8Array([0x30, 6, 2, 1, 1, 2, 1, 2]));
 * ```
 *
 * @param raw `r‖s`, both halves the same size.
 * @returns The DER bytes.
 */
export function rawToDerSignature(raw: Uint8Array): Uint8Array {
  const size = raw.length / 2;
  const ints = [raw.subarray(0, size), raw.subarray(size)].map((half) => {
    let start = 0;
    while (start < half.length - 1 && half[start] === 0) start++;
    const body = half.subarray(start);
    const padded = (body[0]! & 0x80) !== 0 ? [0, ...body] : [...body];
    return [0x02, ...encodeLength(padded.length), ...padded];
  });
  const content = [...ints[0]!, ...ints[1]!];
  return new Uint8Array([0x30, ...encodeLength(content.length), ...content]);
}

function readLength(
  bytes: Uint8Array,
  at: number,
): { length: number; start: number } | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, start: at + 1 };
  if (first !== 0x81) return undefined; // signatures of P-256/P-384 never need more
  const length = bytes[at + 1];
  if (length === undefined || length < 0x80) return undefined; // not minimal
  return { length, start: at + 2 };
}

function encodeLength(length: number): number[] {
  return length < 0x80 ? [length] : [0x81, length];
}
