/**
 * PEM armour: the base64 body between `-----BEGIN LABEL-----` and `-----END LABEL-----`.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { fromBase64, toBase64 } from "./_base64.ts";

/** One decoded PEM block. */
export interface PemBlock {
  /** The label (`PUBLIC KEY`, `ENCRYPTED SIGSTORE PRIVATE KEY`…). */
  label: string;
  /** The decoded body. */
  bytes: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/;

/**
 * Decodes the first PEM block of a text.
 *
 * @example
 * ```ts
 * import { decodePem, encodePem } from "./pem.ts";
 * import assert from "node:assert/strict";
 *
 * const pem = encodePem("PUBLIC KEY", new Uint8Array([1, 2, 3]));
 * assert.match(pem, /^-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n$/);
 * assert.deepEqual(decodePem(pem, "key.pub"), { label: "PUBLIC KEY", bytes: new Uint8Array([1, 2, 3]) });
 * assert.throws(() => decodePem("junk", "key.pub"), { code: "INVALID_KEY" });
 * ```
 *
 * @param text The PEM text (anything around the block is ignored).
 * @param label Names the text in messages (a file name).
 * @returns The label and the decoded bytes.
 * @throws {ProvisioningError} `INVALID_KEY` when there is no well-formed block.
 */
export function decodePem(text: string, label: string): PemBlock {
  const match = BLOCK.exec(text);
  const bytes = match === null ? undefined : fromBase64(match[2]!);
  if (match === null || bytes === undefined || bytes.length === 0) {
    throw new ProvisioningError("INVALID_KEY", `Cannot read "${label}": it holds no PEM block`, {
      hint: "Give a cosign key: cosign.pub (PUBLIC KEY) or cosign.key (ENCRYPTED … PRIVATE KEY)",
    });
  }
  return { label: match[1]!, bytes };
}

/**
 * Encodes bytes as one PEM block with 64-character lines.
 *
 * @example
 * ```ts
 * import { encodePem } from "./pem.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodePem("X", new Uint8Array(1)), "-----BEGIN X-----\nAA==\n-----END X-----\n");
 * ```
 *
 * @param label The PEM label.
 * @param bytes The body.
 * @returns The PEM text, ending with a newline.
 */
export function encodePem(label: string, bytes: Uint8Array): string {
  const lines = toBase64(bytes).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
