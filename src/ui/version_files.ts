/**
 * The files of one extension version, for the extension page: the tree and the
 * `docs/README.md` text, read from a folder (a local extension, or the cache entry of a
 * pulled version) or, for a version that is only in the registry, from its layer streamed
 * into memory (verified, never written anywhere).
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { unpackTar } from "modern-tar";
import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import {
  createRegistryClient,
  createRemoteTarget,
  digestOf,
  getArtifactTags,
  resolveArtifact,
} from "../oci/mod.ts";
import { getOciExtensionMetadata } from "../sources/oci_metadata.ts";

/** One file of a version's tree. */
export interface VersionFile {
  /** Path relative to the extension root, `/`-separated; directories end in `/`. */
  path: string;
  /** Bytes (0 for directories and links). */
  size: number;
}

/** What {@linkcode filesOfFolder} and {@linkcode filesOfOciLayer} read. */
export interface VersionFiles {
  /** Where the files were read: the cache entry, the extension's folder, or the layer. */
  from: "cache" | "folder" | "layer";
  /** Files and folders, sorted by path; at most {@linkcode MAX_LISTED_FILES}. */
  files: VersionFile[];
  /** Whether the tree had more entries than were listed. */
  truncated: boolean;
  /** `docs/README.md` (else `README.md`) as text, when there is one. */
  readme: string | undefined;
}

/** Most tree entries listed on a page. */
export const MAX_LISTED_FILES = 500;
/** Largest README read. */
export const MAX_README_BYTES = 512 * 1024;
/** Largest layer read into memory to show the files of a version that is not cached. */
export const MAX_LAYER_BYTES = 16 * 1024 * 1024;

const README_PATHS = ["docs/README.md", "README.md"];

/**
 * Lists a folder (never following links) and reads its README.
 *
 * @example
 * ```ts
 * import { filesOfFolder } from "./version_files.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dir}/docs`);
 * await Deno.writeTextFile(`${dir}/docs/README.md`, "# Hi");
 * const files = await filesOfFolder(dir, "folder");
 * assert.deepEqual(files.files.map((f) => f.path), ["docs/", "docs/README.md"]);
 * assert.equal(files.readme, "# Hi");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension root.
 * @param from What the folder is (shown on the page).
 * @returns The tree and the README.
 */
export async function filesOfFolder(
  dir: string,
  from: "cache" | "folder",
): Promise<VersionFiles> {
  const files: VersionFile[] = [];
  let truncated = false;
  const walk = async (rel: string): Promise<void> => {
    const names: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(join(dir, rel))) names.push(entry);
    names.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    for (const entry of names) {
      if (files.length >= MAX_LISTED_FILES) {
        truncated = true;
        return;
      }
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory && !entry.isSymlink) {
        files.push({ path: `${path}/`, size: 0 });
        await walk(path);
      } else {
        const info = await Deno.lstat(join(dir, path));
        files.push({ path, size: info.isFile ? info.size : 0 });
      }
    }
  };
  await walk("");
  let readme: string | undefined;
  for (const candidate of README_PATHS) {
    const file = files.find((f) => f.path === candidate);
    if (file === undefined || file.size > MAX_README_BYTES) continue;
    const info = await Deno.lstat(join(dir, candidate));
    if (!info.isFile) continue;
    readme = await Deno.readTextFile(join(dir, candidate));
    break;
  }
  return { from, files: sortByPath(files), truncated, readme };
}

/**
 * Reads the layer of one version of an OCI extension into memory (at most
 * {@linkcode MAX_LAYER_BYTES}, digest verified) and lists its tar: the files of a version
 * that is not cached, without pulling it.
 *
 * @example
 * ```ts ignore
 * const files = await filesOfOciLayer(config, home, "kubernetes", "1.29.1");
 * console.log(files.readme);
 * ```
 *
 * @param config The effective configuration (`[oci]` registry and namespace).
 * @param home Home folder, for registry credentials.
 * @param name The extension (the repository's last component).
 * @param version The version.
 * @returns The tree and the README.
 * @throws {ProvisioningError} `UNSUPPORTED` for a layer that is too large or not a tar;
 *   `DIGEST_MISMATCH`; registry errors.
 */
export async function filesOfOciLayer(
  config: ResolvedConfig,
  home: string,
  name: string,
  version: string,
): Promise<VersionFiles> {
  using client = createRegistryClient(config.settings.oci, { home });
  const tags = await getArtifactTags(client, client.reference(name));
  const meta = await getOciExtensionMetadata(client, name, { version, tags });
  const target = createRemoteTarget(client, client.reference(name));
  const artifact = await resolveArtifact(target, meta.digest);
  const layers = artifact.manifest.layers;
  const layer = layers.find((l) => /tar/.test(l.mediaType)) ?? layers[0];
  if (layer === undefined) return { from: "layer", files: [], truncated: false, readme: undefined };
  if (layer.size > MAX_LAYER_BYTES) {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `The layer of ${name} ${version} is ${layer.size} bytes; pull it to see its files`,
    );
  }
  const bytes = new Uint8Array(await new Response(await target.fetch(layer)).arrayBuffer());
  if (digestOf(bytes) !== layer.digest) {
    throw new ProvisioningError(
      "DIGEST_MISMATCH",
      `The layer of ${name} ${version} does not match its digest ${layer.digest}`,
    );
  }
  if (!/tar/.test(layer.mediaType)) {
    // A single file pushed by `oras push FILE`.
    const title = layer.annotations?.["org.opencontainers.image.title"] ?? "file";
    return {
      from: "layer",
      files: [{ path: title, size: bytes.length }],
      truncated: false,
      readme: undefined,
    };
  }
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const tar = gzip
    ? new Uint8Array(
      await new Response(
        ReadableStream.from([bytes]).pipeThrough(new DecompressionStream("gzip")),
      ).arrayBuffer(),
    )
    : bytes;
  const entries = await unpackTar(tar);
  const names = entries.map((e) => e.header.name.replace(/^\.\//, ""));
  const top = commonTopFolder(names);
  const files: VersionFile[] = [];
  const readmes = new Map<string, Uint8Array>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const path = names[i]!.slice(top.length);
    if (path === "" || path === "/") continue;
    const isDir = entry.header.type === "directory";
    const shown = isDir && !path.endsWith("/") ? `${path}/` : path;
    files.push({ path: shown, size: isDir ? 0 : entry.header.size });
    if (README_PATHS.includes(path) && entry.data !== undefined) readmes.set(path, entry.data);
  }
  const found = README_PATHS.map((p) => readmes.get(p)).find((d) =>
    d !== undefined && d.length <= MAX_README_BYTES
  );
  const readme = found === undefined ? undefined : new TextDecoder().decode(found);
  const sorted = sortByPath(files);
  return {
    from: "layer",
    files: sorted.slice(0, MAX_LISTED_FILES),
    truncated: sorted.length > MAX_LISTED_FILES,
    readme,
  };
}

/** `name/` when every entry lies in one top folder (the way `ext publish` packs), else `""`. */
function commonTopFolder(names: readonly string[]): string {
  const first = names[0]?.split("/")[0];
  if (first === undefined || first === "") return "";
  const prefix = `${first}/`;
  return names.every((n) => n === prefix || n.startsWith(prefix)) ? prefix : "";
}

function sortByPath(files: VersionFile[]): VersionFile[] {
  return files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
