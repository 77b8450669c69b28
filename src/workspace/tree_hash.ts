/**
 * The hash of an unpacked extension: the same whichever source delivered it (a registry, an
 * OCI layout, git, a folder), because it covers file paths and contents and nothing else —
 * not archive framing, timestamps, owners or modes. The format is Go's `dirhash` "h1"
 * (what Terraform's lock file and `go.sum` use): for every file, sorted by path, a line
 * `<sha256 hex>  <path>\n`; the hash is `h1:` + base64 of the SHA-256 of those lines. A
 * symlink counts as a file whose content is `symlink:` + its target.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { createVerifyStream, digestOf } from "../oci/digest.ts";

/**
 * Hashes the tree under `dir` (the folder holding `extension.yaml`).
 *
 * @example
 * ```ts
 * import { treeHash } from "./tree_hash.ts";
 * import assert from "node:assert/strict";
 *
 * const a = await Deno.makeTempDir();
 * const b = await Deno.makeTempDir();
 * for (const dir of [a, b]) {
 *   await Deno.mkdir(`${dir}/kcl`);
 *   await Deno.writeTextFile(`${dir}/kcl/main.k`, "x = 1\n");
 *   await Deno.writeTextFile(`${dir}/extension.yaml`, "extension: {}\n");
 * }
 * await Deno.chmod(`${b}/kcl/main.k`, 0o755); // modes do not count
 * assert.equal(await treeHash(a), await treeHash(b));
 * assert.match(await treeHash(a), /^h1:[A-Za-z0-9+/]{43}=$/);
 * await Deno.remove(a, { recursive: true });
 * await Deno.remove(b, { recursive: true });
 * ```
 *
 * @param dir The extension's folder.
 * @returns `h1:…`.
 */
export async function treeHash(dir: string): Promise<string> {
  const lines: string[] = [];
  for (const path of await listFiles(dir, "")) {
    const abs = join(dir, path);
    const info = await Deno.lstat(abs);
    const hex = info.isSymlink
      ? digestOf(new TextEncoder().encode(`symlink:${await Deno.readLink(abs)}`)).slice(7)
      : (await fileDigest(abs)).slice(7);
    lines.push(`${hex}  ${path}\n`);
  }
  const summary = new TextEncoder().encode(lines.join(""));
  const hex = digestOf(summary).slice(7);
  const raw = new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
  return `h1:${btoa(String.fromCharCode(...raw))}`;
}

/** Every file and symlink below `dir`, as `/`-separated paths sorted by code point. */
async function listFiles(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(prefix === "" ? dir : join(dir, prefix))) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) { for (const inner of await listFiles(dir, path)) out.push(inner); }
    else out.push(path);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function fileDigest(path: string): Promise<string> {
  let digest = "";
  const file = await Deno.open(path, { read: true });
  await file.readable
    .pipeThrough(createVerifyStream({ onVerified: (content) => digest = content.digest }))
    .pipeTo(new WritableStream());
  return digest;
}
