/**
 * A cache hit for an exact version answered with Deno APIs alone, for the CLI's start-up
 * fast path (no `node:` modules, no npm packages, so nothing of Deno's Node compatibility
 * layer loads).
 *
 * It reads the cache index the way `getFromCache` does and records the use the same way
 * (`lastUsedAt` at most once a minute, under `locks/index.lock`, the index replaced through
 * a file in `tmp/` and a rename, the record file's mtime touched), never following a link.
 * Anything it is not sure about — a root reached through a symlink or without the cache's
 * marker file (`.provisioning-cache`), a link or a non-folder at
 * one of the cache's folders, a missing or unfamiliar index, a row that does not validate,
 * several types, a missing directory, an index that changed shape under the lock — returns
 * undefined, and the caller takes the full path, which repairs (or refuses) what it finds.
 *
 * @module
 */

import type { ExtensionType } from "../manifest/types.ts";

/** What {@linkcode fastCacheHit} found. */
export interface FastCacheHit {
  type: ExtensionType;
  name: string;
  version: string;
  /** The source recorded by the entry (`oci`, `oci-layout`, `gitea`, `git`). */
  source: "oci" | "oci-layout" | "gitea" | "git";
  /** The entry's directory. */
  path: string;
  /** The recorded manifest digest, if any. */
  digest?: string;
  /** The recorded registry (`host:port`) of an OCI entry, if any. */
  registry?: string;
  /** The recorded repository (`namespace/name`, or a layout folder), if any. */
  repository?: string;
}

const TYPES: readonly ExtensionType[] = ["provider", "taskserv", "cluster"];
const SOURCES = ["oci", "oci-layout", "gitea", "git"] as const;
/** The same interval as the cache's `DEFAULT_TOUCH_INTERVAL_MS`. */
const TOUCH_INTERVAL_MS = 60_000;

type Rows = Record<string, Record<string, unknown>>;

/**
 * Looks up `{type}/{name}/{version}` (any type when `type` is undefined) in the cache index
 * at `root` and records the use; undefined when the answer is not certain.
 *
 * @example
 * ```ts
 * import { fastCacheHit } from "./fast_hit.ts";
 * import assert from "node:assert/strict";
 *
 * const root = await Deno.makeTempDir();
 * assert.equal(await fastCacheHit(root, undefined, "aws", "1.0.0"), undefined);
 * await Deno.remove(root, { recursive: true });
 * ```
 *
 * @param root Absolute, normalised cache root.
 * @param type The type asked for, or undefined.
 * @param name Extension name.
 * @param version Exact version.
 * @param now Clock in ms (tests).
 * @returns The hit, or undefined (a miss, or not sure).
 */
export async function fastCacheHit(
  root: string,
  type: ExtensionType | undefined,
  name: string,
  version: string,
  now: () => number = Date.now,
): Promise<FastCacheHit | undefined> {
  // A root reached through a symlink, or a link at one of the cache's fixed folders: the full
  // path resolves and checks those itself (and may refuse them).
  if (realPath(root) !== root) return undefined;
  // A root without the cache's marker file: the full path decides whether it is the cache's.
  if (!isKind(`${root}/.provisioning-cache`, "file")) return undefined;
  const index = `${root}/index.json`;
  if (!isKind(index, "file")) return undefined;
  const rows = parseIndex(readText(index));
  if (rows === undefined) return undefined;
  const found = (type === undefined ? TYPES : [type]).flatMap((t) => {
    const row = rows[`${t}/${name}/${version}`];
    return row === undefined ? [] : [{ type: t, row }];
  });
  if (found.length !== 1) return undefined;
  const { type: hitType, row } = found[0]!;
  const lastUsed = checkRow(row, hitType, name, version);
  if (lastUsed === undefined) return undefined;
  const path = `${root}/extensions/${hitType}/${name}/${version}`;
  const folders = [
    `${root}/extensions`,
    `${root}/extensions/${hitType}`,
    `${root}/extensions/${hitType}/${name}`,
    path,
  ];
  if (!folders.every((dir) => isKind(dir, "dir")) || !isKind(`${path}/extension.yaml`, "file")) {
    return undefined;
  }
  if (now() - lastUsed >= TOUCH_INTERVAL_MS) {
    const touched = await touch(root, `${hitType}/${name}/${version}`, now);
    if (touched === "changed") return undefined;
  }
  const { digest, registry, repository } = row;
  return {
    type: hitType,
    name,
    version,
    source: row.source as FastCacheHit["source"],
    path,
    ...(typeof digest === "string" ? { digest } : {}),
    ...(typeof registry === "string" ? { registry } : {}),
    ...(typeof repository === "string" ? { repository } : {}),
  };
}

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function parseIndex(text: string | undefined): Rows | undefined {
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { schema, entries } = (data ?? {}) as { schema?: unknown; entries?: unknown };
  if (schema !== 1 || typeof entries !== "object" || entries === null) return undefined;
  if (Array.isArray(entries)) return undefined;
  return entries as Rows;
}

/** The row's `lastUsedAt` in ms when the row is what the cache writes; else undefined. */
function checkRow(
  row: unknown,
  type: ExtensionType,
  name: string,
  version: string,
): number | undefined {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return undefined;
  const r = row as Record<string, unknown>;
  if (r.type !== type || r.name !== name || r.version !== version) return undefined;
  if (!(SOURCES as readonly unknown[]).includes(r.source)) return undefined;
  if (r.digest !== undefined && typeof r.digest !== "string") return undefined;
  for (const field of ["size", "files"]) {
    const n = r[field];
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return undefined;
  }
  if (typeof r.pulledAt !== "string" || Number.isNaN(Date.parse(r.pulledAt))) return undefined;
  const lastUsed = typeof r.lastUsedAt === "string" ? Date.parse(r.lastUsedAt) : NaN;
  return Number.isNaN(lastUsed) ? undefined : lastUsed;
}

function realPath(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

/** `lstat` says a directory or a regular file (a symlink is neither). */
function isKind(path: string, kind: "dir" | "file"): boolean {
  try {
    const info = Deno.lstatSync(path);
    return kind === "dir" ? info.isDirectory : info.isFile;
  } catch {
    return false;
  }
}

/**
 * Records a use like the cache's `touch`: under the index lock, re-reads the index, sets
 * the row's `lastUsedAt`, writes the index back (keys sorted, one line) through `tmp/`, and
 * touches the record file. A cache that cannot be written still serves the hit ("ok"), as in
 * the full path; an index that no longer parses or lost the row gives "changed".
 */
async function touch(root: string, key: string, now: () => number): Promise<"ok" | "changed"> {
  // `locks/` and `tmp/` must be real folders and the lock a regular file (never followed);
  // anything else is left to the full path, which creates, repairs or refuses it.
  if (!isKind(`${root}/locks`, "dir") || !isKind(`${root}/tmp`, "dir")) return "changed";
  const lockPath = `${root}/locks/index.lock`;
  let lock: Deno.FsFile;
  try {
    lock = isKind(lockPath, "file")
      ? await Deno.open(lockPath, { read: true, write: true })
      : await Deno.open(lockPath, { read: true, write: true, createNew: true });
  } catch (error) {
    // A refusal is a read-only cache, which still serves hits; anything else: not sure.
    return error instanceof Deno.errors.PermissionDenied || error instanceof Deno.errors.NotCapable
      ? "ok"
      : "changed";
  }
  try {
    await lock.lock(true);
    const rows = parseIndex(readText(`${root}/index.json`));
    const row = rows?.[key];
    if (rows === undefined || row === undefined) return "changed";
    const when = new Date(now());
    const lastUsed = Date.parse(String(row.lastUsedAt));
    if (!(when.getTime() - lastUsed >= TOUCH_INTERVAL_MS)) return "ok";
    row.lastUsedAt = when.toISOString();
    const sorted: Rows = {};
    for (const k of Object.keys(rows).sort()) sorted[k] = rows[k]!;
    const tmp = `${root}/tmp/index.${randomHex()}.write`;
    try {
      await Deno.writeTextFile(tmp, JSON.stringify({ schema: 1, entries: sorted }) + "\n", {
        createNew: true,
      });
      await Deno.rename(tmp, `${root}/index.json`);
    } catch {
      await Deno.remove(tmp).catch(() => {});
      return "ok";
    }
    // The record file keeps the time as its mtime; utime follows links, so only a file.
    const [type, name, version] = key.split("/");
    const meta = `${root}/extensions/${type}/${name}/.${version}.entry.json`;
    if (isKind(meta, "file")) await Deno.utime(meta, when, when).catch(() => {});
    return "ok";
  } finally {
    lock.close();
  }
}

function randomHex(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(8)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}
