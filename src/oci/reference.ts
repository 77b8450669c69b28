/**
 * Parsing and formatting of references `[registry/]namespace/name[:tag|@digest]`.
 *
 * A reference of just `name` or `name:tag` (or `namespace/name`) uses the default registry
 * (and namespace) from `[oci]`. The first path component is a registry when it contains a
 * `.` or a `:`, is `localhost`, or is a bracketed IPv6 literal (Docker's rule); after an
 * explicit registry the rest of the path is taken as written (`localhost:5000/aws` has an
 * empty namespace).
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { splitRegistrySetting } from "./transport.ts";
import type { Reference } from "./types.ts";

/** Where a reference without registry or namespace gets them from (the `[oci]` settings). */
export interface ReferenceDefaults {
  /** Default registry (`host[:port]`, may carry a scheme, which is dropped here). */
  registry: string;
  /** Default namespace. */
  namespace: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * Parses a reference, filling in the default registry and namespace.
 *
 * @example
 * ```ts
 * import { parseReference } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * const defaults = { registry: "localhost:5000", namespace: "provisioning-extensions" };
 * assert.deepEqual(parseReference("aws:1.2.0", defaults), {
 *   registry: "localhost:5000",
 *   namespace: "provisioning-extensions",
 *   name: "aws",
 *   repository: "provisioning-extensions/aws",
 *   tag: "1.2.0",
 * });
 * assert.equal(parseReference("ghcr.io/acme/ext/aws@sha256:" + "a".repeat(64), defaults)
 *   .namespace, "acme/ext");
 * ```
 *
 * @param input The reference as written.
 * @param defaults Default registry and namespace.
 * @param options `registryFirst`: the first path component is the registry whatever it
 *   looks like (an `oci://` reference: `oci://myregistry/ns/aws`).
 * @returns The parsed reference.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when the reference is malformed.
 */
export function parseReference(
  input: string,
  defaults: ReferenceDefaults,
  options: { registryFirst?: boolean } = {},
): Reference {
  const fail = (reason: string, hint?: string): never => {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot parse reference "${redactUserinfo(input)}": ${redactUserinfo(reason)}`,
      hint === undefined ? {} : { hint },
    );
  };
  if (input === "" || /\s/.test(input)) fail("it is empty or contains whitespace");

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      fail(`"${digest}" is not a digest`, "Write a digest as sha256:<64 lower-case hex digits>");
    }
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/") && !rest.slice(colon).includes("]")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      fail(
        `"${tag}" is not a valid tag`,
        tag.includes("+")
          ? "Tags cannot hold +: write semver build metadata with _ (1.0.0_build)"
          : "Tags are up to 128 of A-Z a-z 0-9 _ . - and do not start with . or -",
      );
    }
  }

  const parts = rest.split("/");
  let registry: string;
  let path: string[];
  const first = parts[0]!;
  const looksLikeHost = /[.:]/.test(first) || first === "localhost" || first.startsWith("[");
  if (options.registryFirst === true && parts.length < 2) {
    fail("it names no repository after the registry", "Write oci://REGISTRY/NAMESPACE/NAME");
  }
  if (parts.length > 1 && (options.registryFirst === true || looksLikeHost)) {
    registry = first.toLowerCase();
    path = parts.slice(1);
    if (!HOST.test(registry)) fail(`"${first}" is not a registry host`);
  } else {
    registry = splitRegistrySetting(defaults.registry).host;
    path = parts.length === 1 && defaults.namespace !== ""
      ? [...defaults.namespace.split("/"), ...parts]
      : parts;
  }

  for (const component of path) {
    if (!COMPONENT.test(component)) {
      fail(
        component === "" ? "it has an empty path component" : `"${component}" is not a valid name`,
        /[A-Z]/.test(component)
          ? "Repository names must be lower case"
          : "Names are lower-case letters and digits separated by . _ __ or -",
      );
    }
  }
  const repository = path.join("/");
  if (repository.length > 255) fail("the repository name is longer than 255 characters");
  const ref: Reference = {
    registry,
    namespace: path.slice(0, -1).join("/"),
    name: path[path.length - 1]!,
    repository,
  };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Hides a `user:password@` prefix someone typed into a reference (never echo secrets). */
function redactUserinfo(text: string): string {
  return text.replace(/^([a-z]+:\/\/)?[^/@\s]*:[^/@\s]*@/i, "$1***@");
}

/**
 * Like {@linkcode parseReference} but returns `undefined` instead of throwing.
 *
 * @example
 * ```ts
 * import { tryParseReference } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * const defaults = { registry: "localhost:5000", namespace: "ns" };
 * assert.equal(tryParseReference("Bad Name", defaults), undefined);
 * assert.equal(tryParseReference("aws", defaults)?.repository, "ns/aws");
 * ```
 *
 * @param input The reference as written.
 * @param defaults Default registry and namespace.
 * @returns The parsed reference, or `undefined` when it is malformed.
 */
export function tryParseReference(
  input: string,
  defaults: ReferenceDefaults,
): Reference | undefined {
  try {
    return parseReference(input, defaults);
  } catch {
    return undefined;
  }
}

/**
 * Formats a reference as `registry/repository[:tag][@digest]`.
 *
 * @example
 * ```ts
 * import { formatReference } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatReference({ registry: "localhost:5000", namespace: "ns", name: "aws",
 *     repository: "ns/aws", tag: "1.0.0" }),
 *   "localhost:5000/ns/aws:1.0.0",
 * );
 * ```
 *
 * @param ref The reference.
 * @returns The canonical string form.
 */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? "" : `:${ref.tag}`}${
    ref.digest === undefined ? "" : `@${ref.digest}`
  }`;
}

/**
 * The tag or digest a reference points at (the digest wins), as used in a manifest URL.
 *
 * @example
 * ```ts
 * import { referenceTarget } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   referenceTarget({ registry: "r", namespace: "", name: "a", repository: "a", tag: "1.0" }),
 *   "1.0",
 * );
 * ```
 *
 * @param ref The reference.
 * @returns Its digest, else its tag.
 * @throws {ProvisioningError} `INVALID_REFERENCE` when it has neither.
 */
export function referenceTarget(ref: Reference): string {
  const target = ref.digest ?? ref.tag;
  if (target === undefined) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Reference "${formatReference(ref)}" names no tag or digest`,
      { hint: "Add :TAG or @sha256:DIGEST" },
    );
  }
  return target;
}

/**
 * Whether a string is a well-formed digest (`sha256:` + 64 or `sha512:` + 128 hex digits).
 *
 * @example
 * ```ts
 * import { isDigest } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isDigest("sha256:" + "0".repeat(64)));
 * assert.ok(!isDigest("sha256:XYZ"));
 * ```
 *
 * @param value Any string.
 * @returns True for a valid digest.
 */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/**
 * Whether a string is a valid tag.
 *
 * @example
 * ```ts
 * import { isValidTag } from "./reference.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isValidTag("1.0.0_build.5"));
 * assert.ok(!isValidTag("1.0.0+build.5"));
 * ```
 *
 * @param value Any string.
 * @returns True when the registry accepts it as a tag.
 */
export function isValidTag(value: string): boolean {
  return TAG.test(value);
}
