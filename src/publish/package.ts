/**
 * Packages an extension directory into everything a push needs: config blob, layer file and
 * OCI image manifest, reproducibly.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { ExtensionManifest } from "../manifest/types.ts";
import { validateExtensionDir } from "../manifest/validate_extension_dir.ts";
import { isSemver } from "../versions/is_semver.ts";
import { versionToTag } from "../versions/version_to_tag.ts";
import { buildConfigBlob, buildImageManifest } from "./artifact.ts";
import { collectExtensionFiles } from "./collect.ts";
import { IGNORE_FILE_NAME } from "./ignore.ts";
import { setManifestVersion } from "./manifest_version.ts";
import { MEDIA_TYPE_LAYER_TAR_GZIP } from "./media_types.ts";
import { MAX_TAR_MTIME, packLayer } from "./pack.ts";
import { DEFAULT_MAX_FILE_SIZE, type PackagedExtension, type PackageOptions } from "./types.ts";

/** File name of the manifest at the extension root. */
const MANIFEST_FILE = "extension.yaml";

/** Longest OCI tag. */
const MAX_TAG_LENGTH = 128;

/**
 * Validates and packages an extension directory. In order: checks the options, runs
 * `options.validate`, checks the published version, collects the files (refusing escaping or
 * absolute symlinks, oversized and special files) — all before anything is written — then
 * streams the layer into a new temp directory and builds the config blob and image manifest.
 *
 * Validation is `options.validate`, by default the manifest module's `validateExtensionDir`
 * (layout and manifest rules).
 *
 * With `options.version` differing from the manifest's, the packaged `extension.yaml` and
 * the config blob carry the published version (only the version scalar of the file is
 * rewritten) and a notice says so. The same directory and options always give the same
 * manifest digest: mtimes come from `sourceDateEpoch` (else 0), owners and modes are
 * normalised. Call `cleanup()` on the result when done.
 *
 * @example
 * ```ts
 * import { packageExtension } from "./package.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension:\n  name: demo\n  version: 1.0.0\n  type: taskserv\n",
 * );
 * const pkg = await packageExtension(dir, { version: "1.0.1+build.7" });
 * assert.equal(pkg.tag, "1.0.1_build.7");
 * assert.equal(pkg.notices.length, 1);
 * await pkg.cleanup();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension directory (holding `extension.yaml`).
 * @param options Version override, `SOURCE_DATE_EPOCH`, size limit, temp location and the
 *   manifest validator.
 * @returns The package; its `layer.path` lives until `cleanup()`.
 * @throws {ProvisioningError} `USAGE` for a bad `sourceDateEpoch` or `maxFileSize`;
 *   `INVALID_VERSION` for a version that is not semver; `INVALID_MANIFEST` for an unusable
 *   name; `INVALID_EXTENSION` for refused entries; whatever `validate` throws.
 */
export async function packageExtension(
  dir: string,
  options: PackageOptions = {},
): Promise<PackagedExtension> {
  const { sourceDateEpoch } = options;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  checkOptions(sourceDateEpoch, maxFileSize);

  const onWarning = options.onWarning;
  const onDisk = await (options.validate ??
    ((at: string) => validateExtensionDir(at, onWarning === undefined ? {} : { onWarning })))(dir);
  const { name, type } = onDisk.extension;
  checkName(name);
  const version = options.version ?? onDisk.extension.version;
  checkVersion(version);
  const tag = versionToTag(version);

  const secrets: string[] = [];
  const entries = await collectExtensionFiles(dir, {
    maxFileSize,
    onSecretLeftOut: (path) => secrets.push(path),
  });
  const manifestEntry = entries.find((entry) => entry.path === MANIFEST_FILE);
  if (manifestEntry === undefined) {
    throw new ProvisioningError(
      "INVALID_EXTENSION",
      `Cannot package "${dir}": no ${MANIFEST_FILE}`,
      {
        hint: `Do not exclude ${MANIFEST_FILE} in ${IGNORE_FILE_NAME}`,
      },
    );
  }

  const notices: string[] = [];
  if (secrets.length > 0) {
    notices.push(
      `Left out ${secrets.length === 1 ? "a file that looks" : "files that look"} like ` +
        `secrets: ${secrets.join(", ")} (add a "!" line to ${IGNORE_FILE_NAME} to ship one)`,
    );
  }
  const replacements = new Map<string, Uint8Array>();
  if (version !== onDisk.extension.version) {
    if (manifestEntry.type !== "file") {
      throw new ProvisioningError(
        "INVALID_EXTENSION",
        `Cannot set the version of "${MANIFEST_FILE}": it is not a regular file`,
        { hint: `Replace the ${MANIFEST_FILE} symlink with the file itself` },
      );
    }
    const text = await Deno.readTextFile(`${dir}/${MANIFEST_FILE}`);
    const rewritten = new TextEncoder().encode(await setManifestVersion(text, version));
    replacements.set(MANIFEST_FILE, rewritten);
    manifestEntry.size = rewritten.length;
    notices.push(
      `Publishing version "${version}" while ${MANIFEST_FILE} on disk says ` +
        `"${onDisk.extension.version}": the packaged ${MANIFEST_FILE} and config carry "${version}"`,
    );
  }
  const extension: ExtensionManifest = structuredClone(onDisk);
  extension.extension.version = version;

  const tmp = await Deno.makeTempDir({
    prefix: "provisioning-publish-",
    ...(options.tmpDir === undefined ? {} : { dir: options.tmpDir }),
  });
  const cleanup = () => Deno.remove(tmp, { recursive: true }).catch(ignoreNotFound);
  try {
    const packed = await packLayer(dir, entries, {
      prefix: name,
      mtime: sourceDateEpoch ?? 0,
      outputPath: `${tmp}/layer.tar.gz`,
      replacements,
      ...(options.onPackProgress === undefined ? {} : { onProgress: options.onPackProgress }),
    });
    const config = buildConfigBlob(extension);
    const manifest = buildImageManifest({
      extension,
      config,
      layer: packed,
      ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
    });
    return {
      name,
      type,
      version,
      tag,
      extension,
      files: entries,
      config,
      layer: {
        ...packed,
        mediaType: MEDIA_TYPE_LAYER_TAR_GZIP,
        open: async () => (await Deno.open(packed.path)).readable,
      },
      manifest,
      notices,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Refuses a `SOURCE_DATE_EPOCH` a tar header cannot hold and a non-positive size limit. */
function checkOptions(sourceDateEpoch: number | undefined, maxFileSize: number): void {
  if (
    sourceDateEpoch !== undefined &&
    (!Number.isSafeInteger(sourceDateEpoch) || sourceDateEpoch < 0 ||
      sourceDateEpoch > MAX_TAR_MTIME)
  ) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use SOURCE_DATE_EPOCH "${sourceDateEpoch}": expected whole seconds from 0 to ` +
        `${MAX_TAR_MTIME}`,
    );
  }
  if (!Number.isSafeInteger(maxFileSize) || maxFileSize <= 0) {
    throw new ProvisioningError(
      "USAGE",
      `Cannot use maximum file size "${maxFileSize}": expected a positive whole number of bytes`,
    );
  }
}

/** Refuses a name that cannot be a tar folder (the manifest validator should catch it). */
function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new ProvisioningError(
      "INVALID_MANIFEST",
      `Cannot package extension "${name}": the name cannot be a folder name`,
    );
  }
}

/** Refuses anything but a strict semver version that fits in an OCI tag. */
function checkVersion(version: string): void {
  if (!isSemver(version) || version.length > MAX_TAG_LENGTH) {
    throw new ProvisioningError(
      "INVALID_VERSION",
      `Cannot publish version "${version}": expected a semantic version such as "1.2.3" ` +
        `of at most ${MAX_TAG_LENGTH} characters`,
      { hint: 'Write versions like "1.2.3", "1.2.3-rc.1" or "1.2.3+build.5"' },
    );
  }
}

/** Swallows NotFound, rethrows anything else. */
function ignoreNotFound(error: unknown): void {
  if (!(error instanceof Deno.errors.NotFound)) throw error;
}
