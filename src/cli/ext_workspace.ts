/**
 * `ext install`, `ext update`, `ext outdated`, `ext tree`: the workspace's `extensions.toml`
 * resolved, loaded and locked (see `src/workspace/`).
 *
 * @module
 */

import { dirname } from "node:path";
import { ProvisioningError } from "../errors.ts";
import {
  findRequirementsFile,
  installWorkspace,
  loaderIndex,
  LOCK_FILE,
  type LockChange,
  type LockFile,
  outdatedExtensions,
  readLock,
  REQUIREMENTS_FILE,
} from "../workspace/mod.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** Options of `ext install` and `ext update`. */
export interface InstallCommandOptions {
  locked?: boolean;
  format: OutputFormat;
}

/**
 * `ext install [--locked]` (or, with `update`, `ext update [NAME…]`): resolves, loads and
 * locks; prints the locked extensions and what changed.
 *
 * @example
 * ```ts ignore
 * await runInstall(ctx, {}, { locked: true, format: "table" });
 * ```
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param options `--locked`, `--format`.
 * @param update Names to re-resolve (`true`: all) — `ext update`.
 * @throws {ProvisioningError} Whatever the install reports.
 */
export async function runInstall(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  options: InstallCommandOptions,
  update?: readonly string[] | true,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const file = await requirementsFile(config.workspace, ctx.cwd);
  const result = await installWorkspace({
    config,
    home: ctx.home,
    file,
    onWarning: (message) => ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(message)}\n`),
    ...(options.locked ? { locked: true } : {}),
    ...(update === undefined ? {} : { update }),
  });
  const { hooksNotesOf } = await import("../hooks/hooks_note.ts");
  for (const note of await hooksNotesOf(config, Object.values(result.paths))) {
    ctx.err(`note: ${printable(note)}\n`);
  }
  if (options.format !== "table") {
    return ctx.out(
      await formatData({
        lockPath: result.lockPath,
        written: result.written,
        changes: result.changes,
        extensions: result.lock.extensions,
      }, options.format),
    );
  }
  for (const change of result.changes) ctx.out(`${describeChange(change)}\n`);
  ctx.out(formatTable(result.lock.extensions, [
    { header: "NAME", value: (e) => e.name },
    { header: "TYPE", value: (e) => e.type },
    { header: "VERSION", value: (e) => e.version },
    { header: "SOURCE", value: (e) => e.source },
    { header: "ORIGIN", value: (e) => e.origin },
  ]));
  ctx.err(
    `${result.lock.extensions.length} extensions installed; ${result.lockPath} ${
      result.written ? "written" : "unchanged"
    }\n`,
  );
}

/**
 * `ext outdated`: per locked extension, the locked version, the newest its constraints
 * allow and the newest overall.
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param format Output format.
 */
export async function runOutdated(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  format: OutputFormat,
): Promise<void> {
  const { config, lock } = await workspaceLock(ctx, globals);
  const rows = await outdatedExtensions(lock, loaderIndex({ config, home: ctx.home }));
  if (format !== "table") return ctx.out(await formatData(rows, format));
  ctx.out(formatTable(rows, [
    { header: "NAME", value: (r) => r.name },
    { header: "LOCKED", value: (r) => r.locked },
    { header: "WANTED", value: (r) => r.wanted },
    { header: "LATEST", value: (r) => r.latest },
  ]));
}

/**
 * `ext tree`: the locked graph from the workspace's requirements down, with the spec each
 * edge asked for.
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param format Output format.
 */
export async function runTree(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  format: OutputFormat,
): Promise<void> {
  const { lock } = await workspaceLock(ctx, globals);
  if (format !== "table") return ctx.out(await formatData(lock.extensions, format));
  ctx.out(treeText(lock));
}

/**
 * The locked graph as indented lines: each workspace requirement, then what it depends on
 * (`└─ db 2.1.0 (~2.1.0)`); a name already shown is marked `(see above)`.
 *
 * @example
 * ```ts
 * import { treeText } from "./ext_workspace.ts";
 * import assert from "node:assert/strict";
 *
 * const e = (name: string, dependencies: string[], by: string, spec = "*") => ({
 *   name, type: "taskserv" as const, version: "1.0.0", source: "oci" as const, origin: null,
 *   digest: null, tree: "h1:x", constraints: [{ spec, by }], dependencies });
 * const text = treeText({ lockVersion: 1, extensions: [
 *   e("app", ["db"], "workspace", "^1.0.0"), e("db", [], "app@1.0.0", "~1.0.0")] });
 * assert.equal(text, "app 1.0.0 (^1.0.0)\n  db 1.0.0 (~1.0.0)\n");
 * ```
 *
 * @param lock The lock.
 * @returns The text.
 */
export function treeText(lock: LockFile): string {
  const byName = new Map(lock.extensions.map((e) => [e.name, e]));
  const lines: string[] = [];
  const shown = new Set<string>();
  const walk = (name: string, parent: string, depth: number) => {
    const e = byName.get(name);
    if (e === undefined) return;
    const spec = e.constraints.find((c) => c.by === parent)?.spec ?? "*";
    const again = shown.has(name);
    lines.push(
      `${"  ".repeat(depth)}${e.name} ${e.version} (${spec})${again ? " (see above)" : ""}`,
    );
    if (again) return;
    shown.add(name);
    for (const dep of e.dependencies) walk(dep, `${e.name}@${e.version}`, depth + 1);
  };
  for (const e of lock.extensions) {
    if (e.constraints.some((c) => c.by === "workspace")) walk(e.name, "workspace", 0);
  }
  return lines.map((l) => `${l}\n`).join("");
}

function describeChange(change: LockChange): string {
  if (change.from === null) return `+ ${change.name} ${change.to}`;
  if (change.to === null) return `- ${change.name} ${change.from}`;
  return `${change.name} ${change.from} → ${change.to}`;
}

async function requirementsFile(workspace: string | undefined, cwd: string): Promise<string> {
  const file = await findRequirementsFile(workspace, cwd);
  if (file === undefined) {
    throw new ProvisioningError(
      "USAGE",
      `No ${REQUIREMENTS_FILE} in "${cwd}" or any folder above it`,
      { hint: `Create ${REQUIREMENTS_FILE} with an [extensions] table (name = "SPEC")` },
    );
  }
  return file;
}

/** The configuration and the workspace's lock (which must exist). */
async function workspaceLock(
  ctx: CliContext,
  globals: GlobalConfigOptions,
): Promise<{ config: Awaited<ReturnType<typeof loadCliConfig>>; lock: LockFile }> {
  const config = await loadCliConfig(ctx, globals);
  const file = await requirementsFile(config.workspace, ctx.cwd);
  const lock = await readLock(`${dirname(file)}/${LOCK_FILE}`);
  if (lock === undefined) {
    throw new ProvisioningError("USAGE", `No ${LOCK_FILE} beside "${file}"`, {
      hint: "Run `provisioning ext install` first",
    });
  }
  return { config, lock };
}
