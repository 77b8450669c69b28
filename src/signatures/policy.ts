/**
 * The trust policy of `[signatures]`: whether a signature is required, and which public keys
 * are trusted for which registry/namespace prefix (`[[signatures.trust]]`).
 *
 * A prefix matches a `registry/repository` location on whole path components:
 * `localhost:5000/team` matches `localhost:5000/team/aws` and `localhost:5000/team/x/aws`,
 * not `localhost:5000/teams/aws`. Every matching rule's keys are trusted (their union).
 *
 * @module
 */

import type { Settings, SignatureTrustRule } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { importPublicKeyPem } from "./public_key.ts";
import type { PublicKeyInfo } from "./types.ts";

/** The policy, as the loader and `ext verify` use it. */
export interface SignaturePolicy {
  /** `[signatures] require`. */
  require: boolean;
  /** `[signatures] check_reference`. */
  checkReference: boolean;
  /** `[[signatures.trust]]` rules. */
  trust: readonly SignatureTrustRule[];
}

/**
 * The policy of a configuration.
 *
 * @example
 * ```ts
 * import { signaturePolicy } from "./policy.ts";
 * import { defaultSettings } from "../config/defaults.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(signaturePolicy(defaultSettings("/h")), {
 *   require: false, checkReference: true, trust: [],
 * });
 * ```
 *
 * @param settings The effective settings.
 * @returns The policy.
 */
export function signaturePolicy(settings: Pick<Settings, "signatures">): SignaturePolicy {
  const { signatures } = settings;
  return {
    require: signatures.require,
    checkReference: signatures.check_reference,
    trust: signatures.trust,
  };
}

/**
 * Whether a trust prefix covers a `registry/repository` location (whole path components).
 *
 * @example
 * ```ts
 * import { prefixCovers } from "./policy.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(prefixCovers("r:5000/team", "r:5000/team/aws"), true);
 * assert.equal(prefixCovers("r:5000", "r:5000/team/aws"), true);
 * assert.equal(prefixCovers("r:5000/team", "r:5000/teams/aws"), false);
 * assert.equal(prefixCovers("r:5000/team/aws", "r:5000/team/aws"), true);
 * ```
 *
 * @param prefix `registry[/namespace…]`.
 * @param location `registry/repository`.
 * @returns True when the location is the prefix or below it.
 */
export function prefixCovers(prefix: string, location: string): boolean {
  const clean = prefix.replace(/\/+$/, "");
  return location === clean || location.startsWith(clean + "/");
}

/**
 * The key files trusted for a location (every matching rule's, in order, no repeats).
 *
 * @example
 * ```ts
 * import { trustedKeyFiles } from "./policy.ts";
 * import assert from "node:assert/strict";
 *
 * const policy = { require: true, checkReference: true, trust: [
 *   { prefix: "r:5000/team", keys: ["/k/team.pub"] },
 *   { prefix: "r:5000", keys: ["/k/ops.pub", "/k/team.pub"] },
 * ] };
 * assert.deepEqual(trustedKeyFiles(policy, "r:5000/team/aws"), ["/k/team.pub", "/k/ops.pub"]);
 * assert.deepEqual(trustedKeyFiles(policy, "other:5000/team/aws"), []);
 * ```
 *
 * @param policy The policy.
 * @param location `registry/repository`.
 * @returns Absolute key file paths.
 */
export function trustedKeyFiles(policy: SignaturePolicy, location: string): string[] {
  const files = policy.trust.filter((rule) => prefixCovers(rule.prefix, location))
    .flatMap((rule) => rule.keys);
  return [...new Set(files)];
}

/**
 * Reads public key files.
 *
 * @example
 * ```ts ignore
 * const keys = await readPublicKeyFiles(["/etc/provisioning/team.pub"]);
 * ```
 *
 * @param files PEM public key files.
 * @returns The keys, in order.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a file that cannot be read;
 *   `INVALID_KEY` for one that is not an ECDSA P-256/P-384 public key.
 */
export async function readPublicKeyFiles(files: readonly string[]): Promise<PublicKeyInfo[]> {
  const keys: PublicKeyInfo[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new ProvisioningError("INVALID_CONFIG", `Cannot read public key "${file}"`, {
        cause: error,
        hint: "Fix the path in --key or [[signatures.trust]] keys",
      });
    }
    keys.push(await importPublicKeyPem(text, file));
  }
  return keys;
}
