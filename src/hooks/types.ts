/**
 * Types of extension hooks: what a hook is, what it may do, how a call is made.
 *
 * @module
 */

import type { HookPermissions } from "../manifest/types.ts";

/** How a hook runs: a Deno module in a Worker, or an Extism WebAssembly plugin. */
export type HookKind = "module" | "wasm";

/**
 * The approvable part of a hook's permissions (what `[hooks.approved]` records): hosts,
 * read paths and variables. Timeout and memory are limits, not grants.
 */
export interface HookGrants {
  /** Hosts (`host` or `host:port`). */
  net: string[];
  /** Paths inside the extension, relative. */
  read: string[];
  /** Environment variables. */
  env: string[];
}

/** A hook ready to run: its module and everything it may touch, resolved on disk. */
export interface ResolvedHook {
  /** The hook's name (`render`). */
  name: string;
  /** The extension's name. */
  extension: string;
  /** Module kind, from the path's ending. */
  kind: HookKind;
  /** Real path of the extension's folder. */
  root: string;
  /** Real path of the module. */
  module: string;
  /** Real paths the hook may read: the module's folder and each declared `read` path. */
  read: string[];
  /** Real paths of the declared `read` paths alone (what a WebAssembly hook gets copies of). */
  declaredRead: string[];
  /** The extension's declared permissions (defaults filled in). */
  permissions: HookPermissions;
}

/** Options of {@linkcode runHook}. */
export interface RunHookOptions {
  /**
   * The cache root: the per-call scratch folder is made in its `tmp/` (and removed
   * afterwards, or swept if the process dies). Default: a fresh system temporary folder.
   */
  cacheRoot?: string;
  /**
   * What the user approved. When given, a hook asking for anything more is refused with
   * `HOOK_NOT_APPROVED` before it runs.
   */
  approved?: HookGrants;
  /** Receives what the hook writes with `console.*` (default: dropped). */
  onLog?: (line: string) => void;
}

/** What a module hook's default export receives as its second argument. */
export interface HookContext {
  /** The hook's name. */
  hook: string;
  /** Real path of the extension's folder (read access only to the declared paths). */
  extension: string;
  /** A fresh folder the hook may write; removed when the call ends. */
  scratch: string;
}
