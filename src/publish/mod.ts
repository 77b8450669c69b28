/**
 * Publishing. The packaging half turns an extension directory into a reproducible OCI
 * artifact (config blob = the manifest as JSON, one tar+gzip layer the way `oras push` packs
 * a directory, an OCI 1.1 image manifest with `artifactType` and annotations); the pushing
 * half ({@linkcode publishExtension}, {@linkcode deleteExtension}) uploads it with overwrite
 * and type-clash protection, and removes published versions.
 *
 * @example
 * ```ts
 * import { packageExtension } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: demo\n  version: 1.0.0\n  type: provider\n",
 * );
 * const first = await packageExtension(dir);
 * const second = await packageExtension(dir);
 * assert.equal(first.manifest.digest, second.manifest.digest);
 * await first.cleanup();
 * await second.cleanup();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */

export * from "./artifact.ts";
export * from "./collect.ts";
export * from "./delete.ts";
export * from "./format_size.ts";
export * from "./ignore.ts";
export * from "./manifest_version.ts";
export * from "./media_types.ts";
export * from "./pack.ts";
export * from "./package.ts";
export * from "./progress_bar.ts";
export * from "./publish.ts";
export * from "./publish_types.ts";
export * from "./repository_type.ts";
export * from "./types.ts";
