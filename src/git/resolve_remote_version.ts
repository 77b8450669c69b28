import { ProvisioningError } from "../errors.ts";
import { resolveOciVersion } from "../versions/resolve_oci_version.ts";
import { listRemoteTags } from "./list_remote_tags.ts";
import { redactCredentials } from "./redact_credentials.ts";
import type { GitRemoteOptions, RemoteTag } from "./types.ts";

/**
 * Resolves a version spec (`^1.2.0`, `1.2.3`, `latest`…) against the version tags of a git
 * remote and returns the chosen tag with its commit. `latest` is the highest semver tag, never
 * a tag named `latest`; of `1.2.3` and `v1.2.3`, the tag without `v` is preferred.
 *
 * @example
 * ```ts ignore
 * import { resolveRemoteVersion } from "./resolve_remote_version.ts";
 * import assert from "node:assert/strict";
 *
 * const match = await resolveRemoteVersion("git://127.0.0.1:9418/aws.git", "^1.0.0");
 * assert.ok(match.version.startsWith("1."));
 * ```
 *
 * @param remote The remote.
 * @param spec The version spec.
 * @param options Git runner, timeout, signal, transport policy.
 * @returns The chosen tag, its version and commit.
 * @throws {ProvisioningError} `VERSION_NOT_FOUND` (exit 3) when no tag satisfies the spec;
 *   `INVALID_VERSION_SPEC` (exit 2) for a bad spec; otherwise as {@linkcode listRemoteTags}.
 */
export async function resolveRemoteVersion(
  remote: string,
  spec: string,
  options: GitRemoteOptions = {},
): Promise<RemoteTag> {
  const tags = await listRemoteTags(remote, options);
  const match = resolveOciVersion(spec, tags.map((entry) => entry.tag));
  const chosen = match && tags.find((entry) => entry.tag === match.tag);
  if (chosen === undefined) {
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `No tag of git repository "${redactCredentials(remote)}" satisfies "${spec}"`,
      { details: [`Versions: ${tags.map((entry) => entry.version).join(", ") || "none"}`] },
    );
  }
  return chosen;
}
