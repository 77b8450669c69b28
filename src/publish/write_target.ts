/**
 * Where a write goes when the command line names it outright, as Helm and ORAS users write
 * it: `ext publish DIR oci://registry.internal:5000/platform` (`helm push`'s remote) and
 * `ext delete oci://registry.internal:5000/platform/redis 1.2.3` (a whole repository, as
 * `oras manifest delete` takes it). The registry may be a `[[oci.registries]]` name.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import { parseReference } from "../oci/reference.ts";

/** A registry, and a namespace there when one was named. */
export interface WriteTarget {
  /** `host[:port]`, or the name of a listed registry. */
  registry: string;
  /** The namespace; undefined: the registry's own (or `[oci] namespace`). */
  namespace?: string;
}

const OCI_SCHEME = "oci://";

/**
 * Reads `ext publish`'s destination: `[oci://]REGISTRY[/NAMESPACE]` (the name and version
 * come from `extension.yaml` and `--version`, as `helm push` takes them from the chart).
 *
 * @example
 * ```ts
 * import { parsePublishDestination } from "./write_target.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parsePublishDestination("oci://r.io:5000/team/exts"), {
 *   registry: "r.io:5000",
 *   namespace: "team/exts",
 * });
 * assert.deepEqual(parsePublishDestination("internal"), { registry: "internal" });
 * assert.throws(() => parsePublishDestination("r.io/team/app:1.0.0"), { code: "USAGE" });
 * ```
 *
 * @param text The destination as typed.
 * @returns The registry and namespace.
 * @throws {ProvisioningError} `USAGE` for a tag, a digest, an empty part or another scheme.
 */
export function parsePublishDestination(text: string): WriteTarget {
  const bare = text.startsWith(OCI_SCHEME) ? text.slice(OCI_SCHEME.length) : text;
  const slash = bare.indexOf("/");
  const registry = slash === -1 ? bare : bare.slice(0, slash);
  const namespace = slash === -1 ? undefined : bare.slice(slash + 1).replace(/\/+$/, "");
  const tagged = namespace !== undefined && /[:@]/.test(namespace);
  if (registry === "" || namespace === "" || tagged || bare.includes("://")) {
    throw new ProvisioningError(
      "USAGE",
      `"${text}" is not a publish destination: [oci://]REGISTRY[/NAMESPACE]`,
      {
        hint: tagged
          ? "The name and version come from extension.yaml (and --version); name only the namespace"
          : 'Like "oci://registry.example.com:5000/team", or a [[oci.registries]] name',
      },
    );
  }
  return namespace === undefined ? { registry } : { registry, namespace };
}

/**
 * Reads `ext delete`'s NAME: a plain name (`redis`, the configured registry and namespace),
 * or a whole repository `[oci://]REGISTRY/NAMESPACE/NAME` (with `oci://` the first part is the
 * registry whatever it looks like, so a `[[oci.registries]]` name works there). A tag in it
 * must be the version given.
 *
 * @example
 * ```ts
 * import { parseDeleteTarget } from "./write_target.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseDeleteTarget("redis", "1.2.3"), { name: "redis" });
 * assert.deepEqual(parseDeleteTarget("oci://internal/platform/redis", "1.2.3"), {
 *   name: "redis",
 *   target: { registry: "internal", namespace: "platform" },
 * });
 * assert.throws(() => parseDeleteTarget("r.io/t/redis:2.0.0", "1.2.3"), { code: "USAGE" });
 * ```
 *
 * @param input NAME as typed.
 * @param version The VERSION argument.
 * @returns The name, and the target when the input names one.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for a malformed reference; `USAGE` for a
 *   digest, or a tag other than `version`.
 */
export function parseDeleteTarget(
  input: string,
  version: string,
): { name: string; target?: WriteTarget } {
  const scheme = input.startsWith(OCI_SCHEME);
  const text = scheme ? input.slice(OCI_SCHEME.length) : input;
  // Without `oci://`, Docker's rule: the first part is a registry when it has a `.` or a `:`,
  // is `localhost` or a bracketed IPv6 literal; else this is a name, as before.
  const first = text.split("/")[0] ?? "";
  const registryFirst = scheme ||
    (text.includes("/") && (/[.:]/.test(first) || first === "localhost" || first.startsWith("[")));
  if (!registryFirst) return { name: input };
  const ref = parseReference(text, { registry: first, namespace: "" }, { registryFirst: true });
  if (ref.digest !== undefined || (ref.tag !== undefined && !sameVersion(ref.tag, version))) {
    throw new ProvisioningError(
      "USAGE",
      `"${input}" names ${ref.digest ?? `tag "${ref.tag}"`}, but the version given is "${version}"`,
      { hint: "Name the repository without a tag or digest, and the version after it" },
    );
  }
  return { name: ref.name, target: { registry: ref.registry, namespace: ref.namespace } };
}

function sameVersion(tag: string, version: string): boolean {
  return tag === version || tag === `v${version}`;
}
