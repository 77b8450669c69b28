/**
 * `ext install`, `ext update`, `ext outdated`, `ext tree`: the workspace's `extensions.toml`
 * resolved, loaded and locked (see `src/workspace/`).
 *
 * @module
 */

import { dirname, join } from "../fs/path.ts";
import type { ResolvedConfig, SourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import { isExtensionName } from "../manifest/extension_name.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { isDigest } from "../oci/reference.ts";
import { parseExtensionReference } from "../sources/extension_reference.ts";
import { resolveVersion, sortBySemver, tryParseVersionSpec } from "../versions/mod.ts";
import {
  findRequirementsFile,
  installWorkspace,
  type InstallWorkspaceOptions,
  loaderIndex,
  LOCK_FILE,
  type LockChange,
  type LockFile,
  outdatedExtensions,
  parseRequirements,
  type Place,
  readLock,
  removeRequirement,
  type Requirement,
  requirementLine,
  REQUIREMENTS_FILE,
  setRequirement,
} from "../workspace/mod.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";
import { countProgress } from "./progress.ts";

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
  await installAndReport(ctx, config, file, options, update === undefined ? {} : { update });
}

/** Options of `ext add`. */
export interface AddCommandOptions {
  version?: string;
  type?: ExtensionType;
  source?: SourceType;
  format: OutputFormat;
}

/**
 * `ext add NAME[@SPEC]` (or `oci://REGISTRY/NS/NAME[:TAG]`): adds or changes the entry in
 * `extensions.toml` (created when there is none), resolves and installs, and writes the lock
 * and then the requirements. Without a spec the newest release is added as `^X.Y.Z`, as
 * `cargo add` and `npm install` do. Nothing is written when resolving fails.
 *
 * @example
 * ```ts ignore
 * await runAdd(ctx, {}, "redis@^1.4.0", { format: "table" });
 * ```
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param target `NAME`, `NAME@SPEC` or a registry reference.
 * @param options `--version`, `--type`, `--source`, `--format`.
 * @throws {ProvisioningError} `USAGE` for a malformed target; what the install reports.
 */
export async function runAdd(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  target: string,
  options: AddCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const file = await findRequirementsFile(config.workspace, ctx.cwd) ??
    join(config.workspace ?? ctx.cwd, REQUIREMENTS_FILE);
  const text = await readTextOr(file, "");
  const asked = addTarget(target, options, config.settings.oci);
  let spec = asked.spec;
  if (spec === undefined) {
    const entry = await loaderIndex({ config, home: ctx.home }).entry(
      asked.name,
      options.type,
      asked.place,
    );
    const newest = resolveVersion("latest", entry.versions) ??
      sortBySemver(entry.versions).at(-1);
    spec = newest === undefined ? "*" : `^${newest}`;
  }
  const requirement: Requirement = {
    name: asked.name,
    spec,
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(asked.place === undefined ? {} : { place: asked.place }),
  };
  const next = setRequirement(text, file, requirement);
  await installAndReport(ctx, config, file, options, {
    update: [asked.name],
    requirements: parseRequirements(next, file),
  });
  await writeTextReplacing(file, next);
  ctx.err(`${text === "" ? "created" : "updated"} ${file}: ${requirementLine(requirement)}\n`);
}

/**
 * `ext remove NAME`: drops the entry from `extensions.toml`, re-resolves and rewrites the
 * lock (what only it needed leaves the lock too).
 *
 * @param ctx Output and environment.
 * @param globals Global flags.
 * @param name The extension.
 * @param format Output format.
 * @throws {ProvisioningError} `NOT_FOUND` (exit 3) when the file has no such entry.
 */
export async function runRemove(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  format: OutputFormat,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const file = await requirementsFile(config.workspace, ctx.cwd);
  const text = await readTextOr(file, "");
  const next = removeRequirement(text, file, name);
  if (next === undefined) {
    throw new ProvisioningError("NOT_FOUND", `"${name}" is not in ${file}`, {
      hint: "`provisioning ext tree` shows what the workspace requires",
    });
  }
  await installAndReport(ctx, config, file, { format }, {
    requirements: parseRequirements(next, file),
  });
  await writeTextReplacing(file, next);
  ctx.err(`removed ${name} from ${file}\n`);
}

/** Installs (as `ext install`) and prints the locked extensions and what changed. */
async function installAndReport(
  ctx: CliContext,
  config: ResolvedConfig,
  file: string,
  options: InstallCommandOptions,
  extra: Pick<InstallWorkspaceOptions, "update" | "requirements">,
): Promise<void> {
  const progress = countProgress(ctx, extra.update === undefined ? "installing" : "updating");
  const onItem = progress.onItem;
  const toolPath = ctx.getEnv("PATH");
  const result = await installWorkspace({
    config,
    home: ctx.home,
    file,
    onWarning: (message) => {
      progress.finish();
      ctx.err(`${paint(ctx, "yellow", "warning:")} ${printable(message)}\n`);
    },
    ...(onItem === undefined ? {} : {
      onLoaded: (name: string, version: string, count: number) =>
        onItem(`${printable(name)} ${version}`, count),
    }),
    ...(options.locked ? { locked: true } : {}),
    ...(toolPath === undefined ? {} : { toolPath }),
    ...extra,
  }).finally(() => progress.finish());
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

/** What `ext add` was given: a name and spec, or a registry reference. */
function addTarget(
  target: string,
  options: AddCommandOptions,
  oci: ResolvedConfig["settings"]["oci"],
): { name: string; spec: string | undefined; place?: Place } {
  if (target.startsWith("oci://")) {
    const ref = parseExtensionReference(target, options.version, oci);
    const where = ref.oci!;
    return {
      name: ref.name,
      spec: ref.digest ?? (ref.spec === "latest" ? undefined : ref.spec),
      place: { source: "oci", reference: `oci://${where.registry}/${where.namespace}/${ref.name}` },
    };
  }
  const at = target.indexOf("@");
  const name = at === -1 ? target : target.slice(0, at);
  const spec = at === -1 ? options.version : target.slice(at + 1);
  if (!isExtensionName(name)) {
    throw new ProvisioningError("USAGE", `"${target}" is not NAME, NAME@SPEC or oci://…`, {
      hint: "e.g. `provisioning ext add redis@^1.4.0`",
    });
  }
  if (spec !== undefined && !isDigest(spec) && tryParseVersionSpec(spec) === undefined) {
    throw new ProvisioningError("INVALID_VERSION_SPEC", `"${spec}" is not a version spec`);
  }
  return {
    name,
    spec,
    ...(options.source === undefined ? {} : { place: { source: options.source } }),
  };
}

async function readTextOr(path: string, fallback: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return fallback;
    throw error;
  }
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
 *   digest: null, tree: "h1:x", signer: null, requires: name === "db" ? ["psql"] : [],
 *   constraints: [{ spec, by }], dependencies });
 * const text = treeText({ lockVersion: 1, extensions: [
 *   e("app", ["db"], "workspace", "^1.0.0"), e("db", [], "app@1.0.0", "~1.0.0")] });
 * assert.equal(text, "app 1.0.0 (^1.0.0)\n  db 1.0.0 (~1.0.0) requires psql\n");
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
    const tools = e.requires.length > 0 && !again ? ` requires ${e.requires.join(", ")}` : "";
    lines.push(
      `${"  ".repeat(depth)}${e.name} ${e.version} (${spec})${again ? " (see above)" : tools}`,
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
