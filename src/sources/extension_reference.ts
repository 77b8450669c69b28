/**
 * What users type to name an extension, read once for every command that takes one: a bare
 * name, `NAME:TAG`, `NAME@sha256:…`, `REGISTRY/NAMESPACE/NAME[:TAG|@digest]`,
 * `oci://REGISTRY/NAMESPACE/NAME[:TAG|@digest]` (Helm's and ORAS's forms), with
 * `--version SPEC` or `--version sha256:…` beside it. A reference that names a registry (or
 * a namespace) pins the `oci` source at that place, exactly as `--registry`, `--namespace`
 * and `--source oci` would; a digest pins the content. Git references (`git+https://…`) are
 * left to the git source.
 *
 * @module
 */

import type { OciSettings } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { isExtensionName } from "../manifest/extension_name.ts";
import { isDigest, parseReference } from "../oci/reference.ts";
import { splitRegistrySetting } from "../oci/transport.ts";
import { placeOfRegistry } from "../registries/registry_places.ts";
import { tagToVersion } from "../versions/tag_to_version.ts";
import { isGitReference } from "./git_remotes.ts";

/** A parsed extension reference. */
export interface ExtensionReference {
  /** The extension name (a git reference stays as written). */
  name: string;
  /** Version spec: the tag's version, `--version`, or `latest`. */
  spec: string;
  /** The content digest the reference pins (`@sha256:…` or `--version sha256:…`). */
  digest?: string;
  /** Registry and namespace the reference names: the `oci` source there, and no other. */
  oci?: { registry: string; namespace: string };
}

/** The `oci://` prefix Helm and ORAS use. */
const OCI_SCHEME = "oci://";

/**
 * Reads an extension reference and the `--version` given beside it.
 *
 * @example
 * ```ts
 * import { parseExtensionReference } from "./extension_reference.ts";
 * import assert from "node:assert/strict";
 *
 * const oci = { registry: "localhost:5000", namespace: "provisioning-extensions" };
 * assert.deepEqual(parseExtensionReference("aws:v2.4.1", undefined, oci), {
 *   name: "aws",
 *   spec: "2.4.1",
 * });
 * assert.deepEqual(parseExtensionReference("oci://ghcr.io/acme/exts/aws:2.4.1", undefined, oci), {
 *   name: "aws",
 *   spec: "2.4.1",
 *   oci: { registry: "ghcr.io", namespace: "acme/exts" },
 * });
 * const digest = "sha256:" + "a".repeat(64);
 * assert.equal(parseExtensionReference("aws", digest, oci).digest, digest);
 * assert.equal(parseExtensionReference("aws", "^2.0.0", oci).spec, "^2.0.0");
 * ```
 *
 * @param input The reference as typed.
 * @param version `--version` (a spec or a digest), when given.
 * @param defaults `[oci]` registry and namespace, for a reference naming only a namespace.
 * @returns The name, spec, digest and pinned registry.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for a malformed reference or a tag that is
 *   not a version; `USAGE` when the reference's tag or digest and `--version` disagree.
 */
export function parseExtensionReference(
  input: string,
  version: string | undefined,
  defaults: Pick<OciSettings, "registry" | "namespace">,
): ExtensionReference {
  const flagDigest = version !== undefined && isDigest(version) ? version : undefined;
  const flagSpec = flagDigest === undefined ? version : undefined;
  if (isGitReference(input) || isExtensionName(input)) {
    return {
      name: input,
      spec: flagSpec ?? "latest",
      ...(flagDigest ? { digest: flagDigest } : {}),
    };
  }
  const scheme = input.startsWith(OCI_SCHEME);
  const text = scheme ? input.slice(OCI_SCHEME.length) : input;
  const ref = parseReference(text, defaults, { registryFirst: scheme });
  if (!isExtensionName(ref.name)) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `"${ref.name}" in "${input}" is not an extension name`,
      { hint: "Names are lower-case letters and digits with inner - or _" },
    );
  }
  let spec = flagSpec ?? "latest";
  if (ref.tag !== undefined) {
    const tagged = ref.tag === "latest" ? "latest" : tagToVersion(ref.tag);
    if (tagged === undefined) {
      throw new ProvisioningError(
        "INVALID_REFERENCE",
        `Tag "${ref.tag}" of "${input}" is not a version`,
        { hint: "Tags name versions (1.2.3 or v1.2.3); pin content with @sha256:…" },
      );
    }
    if (flagSpec !== undefined && flagSpec !== tagged) {
      throw conflict(input, `tag "${ref.tag}"`, version!);
    }
    spec = tagged;
  }
  if (ref.digest !== undefined && flagDigest !== undefined && ref.digest !== flagDigest) {
    throw conflict(input, "digest", version!);
  }
  const digest = ref.digest ?? flagDigest;
  // Only a reference with a path (REGISTRY/NS/NAME or NS/NAME) names a place.
  const named = scheme || text.split(/[:@]/)[0]!.includes("/");
  return {
    name: ref.name,
    spec,
    ...(digest === undefined ? {} : { digest }),
    ...(named ? { oci: { registry: ref.registry, namespace: ref.namespace } } : {}),
  };
}

/**
 * The configuration a reference asks for: the `[oci]` registry and namespace it names, or
 * the configuration unchanged.
 *
 * @example
 * ```ts
 * import { withReferencePlace } from "./extension_reference.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * const placed = withReferencePlace(config, {
 *   name: "aws", spec: "latest", oci: { registry: "b:5000", namespace: "y" },
 * });
 * assert.equal(placed.settings.oci.registry, "b:5000");
 * assert.equal(placed.settings.oci.namespace, "y");
 * ```
 *
 * @param config The effective configuration.
 * @param ref A parsed reference.
 * @returns The configuration to load it with.
 */
export function withReferencePlace<T extends { settings: { oci: OciSettings } }>(
  config: T,
  ref: ExtensionReference,
): T {
  if (ref.oci === undefined) return config;
  const { namespace } = ref.oci;
  const oci = config.settings.oci;
  // The configured registry keeps its setting as written (a scheme says http or https).
  const registry = splitRegistrySetting(oci.registry).host === ref.oci.registry
    ? oci.registry
    : ref.oci.registry;
  const several = (oci.registries ?? []).length > 0;
  if (registry === oci.registry && namespace === oci.namespace && !several) return config;
  // One of several `[[oci.registries]]` keeps its own TLS and credential settings; only it.
  const placed = several ? placeOfRegistry(oci, registry).oci : { ...oci, registry };
  return { ...config, settings: { ...config.settings, oci: { ...placed, namespace } } };
}

function conflict(input: string, what: string, version: string): ProvisioningError {
  return new ProvisioningError(
    "USAGE",
    `"${input}" names a ${what} and --version says "${version}"; give one of them`,
  );
}
