/**
 * Release build: the compiled binary for every target `deno compile` supports, the one-file
 * bundle, and a `SHA256SUMS` file over all of them, in `dist/`.
 *
 * Each binary is built exactly like `deno task compile` (the broad launch flags, so every
 * command runs in a worker narrowed to its own permission set, and the bundled examples
 * embedded), plus `--target`. `SHA256SUMS` has the `sha256sum` format (`<hex>  <file>`), so a
 * download is verified with `sha256sum -c --ignore-missing SHA256SUMS` in the download folder
 * (`shasum -a 256 -c` on macOS).
 *
 * `deno compile` downloads the Deno runtime of each target (`dl.deno.land`): where that is
 * unreachable the build stops with Deno's error and no `SHA256SUMS` is written.
 *
 * Usage: `deno run -A scripts/release.ts [--target T]... [--dry-run]`
 *
 * @module
 */

import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../src/permissions/mod.ts";

/** The targets `deno compile --target` supports. */
export const RELEASE_TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/** Where the release files go, relative to the project root. */
export const DIST_DIR = "dist";

/**
 * The file name of a target's binary: `provisioning-<version>-<target>` (`.exe` on Windows).
 *
 * @example
 * ```ts
 * import { binaryName } from "./release.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(binaryName("0.1.0", "x86_64-pc-windows-msvc"), "provisioning-0.1.0-x86_64-pc-windows-msvc.exe");
 * ```
 *
 * @param version The release version (`deno.json` "version").
 * @param target A `deno compile` target.
 * @returns The file name.
 */
export function binaryName(version: string, target: string): string {
  return `provisioning-${version}-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/**
 * The `deno` arguments that build one target: `deno task compile`'s, with `--target` and
 * the versioned output name.
 *
 * @example
 * ```ts
 * import { compileArgs } from "./release.ts";
 * import assert from "node:assert/strict";
 *
 * const args = compileArgs("0.1.0", "aarch64-apple-darwin");
 * assert.equal(args[0], "compile");
 * assert.ok(args.includes("--unstable-worker-options"));
 * assert.deepEqual(args.slice(-5), [
 *   "--target", "aarch64-apple-darwin", "-o", "dist/provisioning-0.1.0-aarch64-apple-darwin", "main.ts",
 * ]);
 * ```
 *
 * @param version The release version.
 * @param target A `deno compile` target.
 * @returns Arguments after `deno`, relative to the project root.
 */
export function compileArgs(version: string, target: string): string[] {
  return [
    "compile",
    ...BROAD_LAUNCH_FLAGS,
    "--include",
    "examples/extensions",
    "--target",
    target,
    "-o",
    `${DIST_DIR}/${binaryName(version, target)}`,
    "main.ts",
  ];
}

/**
 * The `deno` arguments that build the bundle: `deno task bundle`'s (minified, names kept so
 * `--debug` stack traces still name functions), with the versioned output name.
 *
 * @example
 * ```ts
 * import { bundleArgs } from "./release.ts";
 * import assert from "node:assert/strict";
 *
 * const args = bundleArgs("0.1.0");
 * assert.ok(args.includes("--minify") && args.includes("--keep-names"));
 * assert.deepEqual(args.slice(-3), ["-o", "dist/provisioning-0.1.0.js", "main.ts"]);
 * ```
 *
 * @param version The release version.
 * @returns Arguments after `deno`, relative to the project root.
 */
export function bundleArgs(version: string): string[] {
  return [
    "bundle",
    "--platform",
    "deno",
    "--quiet",
    "--minify",
    "--keep-names",
    "-o",
    `${DIST_DIR}/provisioning-${version}.js`,
    "main.ts",
  ];
}

/**
 * The SHA-256 of a file as lower-case hex, read as a stream.
 *
 * @example
 * ```ts
 * import { sha256File } from "./release.ts";
 * import assert from "node:assert/strict";
 *
 * const file = await Deno.makeTempFile();
 * await Deno.writeTextFile(file, "abc");
 * assert.equal(await sha256File(file), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * await Deno.remove(file);
 * ```
 *
 * @param path The file.
 * @returns Its digest.
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  using file = await Deno.open(path);
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * The text of a `SHA256SUMS` file in `sha256sum`'s format: one `<hex>  <file name>` line per
 * file (two spaces: binary-safe text mode), sorted by name.
 *
 * @example
 * ```ts
 * import { sha256sumsText } from "./release.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(sha256sumsText([{ name: "b", sha256: "02" }, { name: "a", sha256: "01" }]), "01  a\n02  b\n");
 * ```
 *
 * @param files Names (no folders) and digests.
 * @returns The file's text.
 */
export function sha256sumsText(files: readonly { name: string; sha256: string }[]): string {
  return [...files].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    .map((file) => `${file.sha256}  ${file.name}\n`).join("");
}

/**
 * Writes `SHA256SUMS` into `dir` over the given files of that folder.
 *
 * @param dir The folder holding the files.
 * @param names File names inside it.
 * @returns The path of `SHA256SUMS`.
 */
export async function writeSha256Sums(dir: string, names: readonly string[]): Promise<string> {
  const files = [];
  for (const name of names) files.push({ name, sha256: await sha256File(join(dir, name)) });
  const path = join(dir, "SHA256SUMS");
  await Deno.writeTextFile(path, sha256sumsText(files));
  return path;
}

async function run(args: string[], cwd: string): Promise<void> {
  console.error(`$ deno ${args.join(" ")}`);
  const status = await new Deno.Command(Deno.execPath(), { args, cwd, stdin: "null" }).spawn()
    .status;
  if (!status.success) throw new Error(`deno ${args[0]} failed (exit ${status.code})`);
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const version = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).version as string;
  const chosen = Deno.args.flatMap((arg, i) => Deno.args[i - 1] === "--target" ? [arg] : []);
  const targets = chosen.length > 0 ? chosen : RELEASE_TARGETS;
  const bundleName = `provisioning-${version}.js`;
  const steps = [
    ...targets.map((target) => compileArgs(version, target)),
    bundleArgs(version),
  ];
  if (Deno.args.includes("--dry-run")) {
    for (const args of steps) console.log(`deno ${args.join(" ")}`);
  } else {
    try {
      const unknown = chosen.find((target) => !RELEASE_TARGETS.includes(target));
      if (unknown !== undefined) throw new Error(`Unknown target "${unknown}"`);
      await Deno.mkdir(join(root, DIST_DIR), { recursive: true });
      for (const args of steps) await run(args, root);
      const names = [...targets.map((target) => binaryName(version, target)), bundleName];
      const sums = await writeSha256Sums(join(root, DIST_DIR), names);
      console.log(await Deno.readTextFile(sums));
      console.error(`Wrote ${DIST_DIR}/${basename(sums)}; verify with: sha256sum -c SHA256SUMS`);
    } catch (error) {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      Deno.exitCode = 1;
    }
  }
}
