import { dirname, isAbsolute, join, relative, resolve, sep } from "../fs/path.ts";
import { ProvisioningError } from "../errors.ts";
import { readManifest } from "../manifest/read_manifest.ts";
import type { ExtensionManifest } from "../manifest/types.ts";
import type { ResolvedHook } from "./types.ts";

/**
 * Finds a hook of the extension in folder `dir`: reads `extension.yaml` from the folder
 * itself (what is on disk is what runs), resolves the module and every declared `read`
 * path to real paths, and checks that each stays inside the extension's real folder (a
 * symlink pointing out is refused, not followed). Deno's read permission follows links, so
 * every folder the hook may read is walked and a link in it leading out of the extension is
 * refused too.
 *
 * @example
 * ```ts
 * import { resolveHook } from "./resolve_hook.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.realPath(await Deno.makeTempDir());
 * await Deno.mkdir(`${dir}/hooks`);
 * await Deno.writeTextFile(`${dir}/hooks/x.ts`, "export default () => 1;");
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension: {name: demo, version: 1.0.0, type: taskserv}\nhooks: {x: hooks/x.ts}\n",
 * );
 * const hook = await resolveHook(dir, "x");
 * assert.equal(hook.module, `${dir}/hooks/x.ts`);
 * assert.deepEqual(hook.read, [`${dir}/hooks`]);
 * await assert.rejects(resolveHook(dir, "nope"), /no hook "nope"/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The extension's folder (a cache entry, or a local folder used in place).
 * @param hook The hook's name.
 * @param manifest The manifest, when already read from `dir` (default: read it).
 * @returns The resolved hook.
 * @throws {ProvisioningError} `NOT_FOUND` for an unknown hook or a missing module;
 *   `INVALID_MANIFEST` from reading the manifest; `UNSAFE_ARCHIVE` when a path leaves the
 *   extension through a symlink.
 */
export async function resolveHook(
  dir: string,
  hook: string,
  manifest?: ExtensionManifest,
): Promise<ResolvedHook> {
  const found = manifest ?? await readManifest(dir);
  const name = found.extension.name;
  const path = found.hooks?.[hook];
  if (path === undefined || !Object.hasOwn(found.hooks ?? {}, hook)) {
    const known = Object.keys(found.hooks ?? {});
    throw new ProvisioningError(
      "NOT_FOUND",
      `Extension ${JSON.stringify(name)} has no hook ${JSON.stringify(hook)}`,
      {
        hint: known.length === 0
          ? "Its extension.yaml declares no hooks"
          : `Its hooks: ${known.join(", ")}`,
      },
    );
  }
  const root = await Deno.realPath(dir);
  const module = await realInside(root, path, name, true);
  const read = [dirname(module)];
  const permissions = found.permissions ??
    { net: [], read: [], env: [], timeout: 30, memory: 64 };
  const declaredRead: string[] = [];
  for (const entry of permissions.read) {
    const real = await realInside(root, entry, name, false);
    declaredRead.push(real);
    if (!read.some((held) => real === held || real.startsWith(held + sep))) read.push(real);
  }
  // Deno's read permission follows a link under a granted folder: refuse any that leads out.
  for (const granted of read) await refuseLinksOut(root, granted, name);
  return {
    name: hook,
    extension: name,
    kind: path.endsWith(".wasm") ? "wasm" : "module",
    root,
    module,
    read,
    declaredRead,
    permissions,
  };
}

/** Walks `path` (below `root`) and refuses a symbolic link whose target is outside `root`. */
async function refuseLinksOut(root: string, path: string, extension: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return; // absent: nothing to read
  }
  if (info.isSymlink) {
    let target: string;
    try {
      target = await Deno.realPath(path);
    } catch {
      target = resolve(dirname(path), await Deno.readLink(path));
    }
    const rel = relative(root, target);
    if (rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) {
      throw new ProvisioningError(
        "UNSAFE_ARCHIVE",
        `${JSON.stringify(relative(root, path))} of ${
          JSON.stringify(extension)
        } is a link out of the extension; its hooks would read through it`,
      );
    }
    return;
  }
  if (!info.isDirectory) return;
  for await (const entry of Deno.readDir(path)) {
    await refuseLinksOut(root, join(path, entry.name), extension);
  }
}

/** The real path of `path` below `root`, refused when a link takes it out. */
async function realInside(
  root: string,
  path: string,
  extension: string,
  mustExist: boolean,
): Promise<string> {
  const joined = join(root, path);
  let real: string;
  try {
    real = await Deno.realPath(joined);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound) || mustExist) {
      throw new ProvisioningError(
        "NOT_FOUND",
        `Hook file ${JSON.stringify(path)} of ${JSON.stringify(extension)} is missing`,
        { cause: error },
      );
    }
    real = joined; // a declared read path that is absent: granting it reads nothing
  }
  const rel = relative(root, real);
  if (rel === ".." || rel.startsWith(".." + sep) || rel.startsWith(sep)) {
    throw new ProvisioningError(
      "UNSAFE_ARCHIVE",
      `Hook path ${JSON.stringify(path)} of ${
        JSON.stringify(extension)
      } leaves the extension through a link`,
    );
  }
  return real;
}
