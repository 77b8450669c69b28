/**
 * cosign's "simple signing" payload: the JSON document a key-based signature covers,
 * byte for byte as cosign writes it (Go's `encoding/json` of its struct: fixed key order,
 * no spaces, `optional` `null` or an object with sorted keys).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { isDigest } from "../oci/reference.ts";
import { SIMPLE_SIGNING_TYPE } from "./media_types.ts";
import type { SimpleSigningPayload } from "./types.ts";

/** What {@linkcode buildSimpleSigningPayload} signs. */
export interface PayloadFields {
  /** `registry/repository` (no tag, no digest). */
  dockerReference: string;
  /** The manifest digest (`sha256:…`). */
  digest: string;
  /** Annotations (`cosign sign -a k=v`); none writes `"optional":null`. */
  optional?: Record<string, string>;
}

/**
 * The exact payload bytes cosign writes for an artifact.
 *
 * @example The bytes cosign's own test expects
 * ```ts
 * import { buildSimpleSigningPayload } from "./payload.ts";
 * import assert from "node:assert/strict";
 *
 * const expected = await Deno.readFile(
 *   new URL("../../tests/fixtures/cosign/cosign_obsolete.payload", import.meta.url),
 * );
 * const bytes = buildSimpleSigningPayload({
 *   dockerReference: "index.docker.io/namespace/image",
 *   digest: "sha256:4aa3054270f7a70b4528f2064ee90961788e1e1518703592ae4463de3b889dec",
 * });
 * assert.deepEqual(bytes, expected);
 * ```
 *
 * @param fields Reference, digest and annotations.
 * @returns The UTF-8 JSON bytes.
 */
export function buildSimpleSigningPayload(fields: PayloadFields): Uint8Array {
  const optional = fields.optional === undefined || Object.keys(fields.optional).length === 0
    ? null
    : Object.fromEntries(Object.entries(fields.optional).sort(([a], [b]) => a < b ? -1 : 1));
  const document = {
    critical: {
      identity: { "docker-reference": fields.dockerReference },
      image: { "docker-manifest-digest": fields.digest },
      type: SIMPLE_SIGNING_TYPE,
    },
    optional,
  };
  return new TextEncoder().encode(JSON.stringify(document));
}

/**
 * Reads a simple-signing payload (untrusted bytes from a registry).
 *
 * @example
 * ```ts
 * import { buildSimpleSigningPayload, parseSimpleSigningPayload } from "./payload.ts";
 * import assert from "node:assert/strict";
 *
 * const digest = "sha256:" + "a".repeat(64);
 * const parsed = parseSimpleSigningPayload(
 *   buildSimpleSigningPayload({ dockerReference: "r:5000/ns/aws", digest }),
 * );
 * assert.deepEqual(parsed, { dockerReference: "r:5000/ns/aws", digest, optional: null });
 * assert.throws(() => parseSimpleSigningPayload(new TextEncoder().encode("{}")), {
 *   code: "SIGNATURE_INVALID",
 * });
 * ```
 *
 * @param bytes The payload blob.
 * @returns Reference, digest and annotations.
 * @throws {ProvisioningError} `SIGNATURE_INVALID` when it is not a cosign payload.
 */
export function parseSimpleSigningPayload(bytes: Uint8Array): SimpleSigningPayload {
  const parsed = tryParseSimpleSigningPayload(bytes);
  if (typeof parsed === "string") {
    throw new ProvisioningError("SIGNATURE_INVALID", `Signature payload ${parsed}`);
  }
  return parsed;
}

/**
 * The non-throwing twin of {@linkcode parseSimpleSigningPayload}: the payload, or why it is
 * not one.
 *
 * @example
 * ```ts
 * import { tryParseSimpleSigningPayload } from "./payload.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(tryParseSimpleSigningPayload(new Uint8Array([0xff])), "is not UTF-8 JSON");
 * ```
 *
 * @param bytes The payload blob.
 * @returns The payload, or a reason (`is not UTF-8 JSON`, `has no docker-manifest-digest`…).
 */
export function tryParseSimpleSigningPayload(bytes: Uint8Array): SimpleSigningPayload | string {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return "is not UTF-8 JSON";
  }
  const critical = (value as { critical?: unknown } | null)?.critical as
    | Record<string, Record<string, unknown> | undefined>
    | undefined;
  if (typeof critical !== "object" || critical === null) return "has no critical section";
  if (critical.type as unknown !== SIMPLE_SIGNING_TYPE) {
    return `has type ${JSON.stringify(critical.type)}, not "${SIMPLE_SIGNING_TYPE}"`;
  }
  const digest = critical.image?.["docker-manifest-digest"];
  if (typeof digest !== "string" || !isDigest(digest)) return "has no docker-manifest-digest";
  const reference = critical.identity?.["docker-reference"];
  if (typeof reference !== "string") return "has no docker-reference";
  const optional = (value as { optional?: unknown }).optional;
  return {
    dockerReference: reference,
    digest,
    optional: typeof optional === "object" && optional !== null && !Array.isArray(optional)
      ? optional as Record<string, unknown>
      : null,
  };
}
