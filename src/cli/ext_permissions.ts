/**
 * `ext permissions [COMMAND…]`: the exact Deno permissions a command needs under the
 * current configuration, as a table, JSON or YAML, with the `deno run` line that grants
 * exactly those.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { CommandLineStop } from "./parser/command.ts";
import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { PlannedPermissions, planningPermissions } from "../permissions/ensure_permissions.ts";
import { type PlanEnv, planPermissions } from "../permissions/plan.ts";
import { permissionFlags, shellQuote } from "../permissions/permission_flags.ts";
import { realmHostsOf } from "../permissions/remembered_realms.ts";
import type { PermissionSet } from "../permissions/types.ts";
import { configuredRegistries } from "../registries/registry_places.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** Options of `ext permissions`. */
export interface PermissionsOptions {
  /** `--source` of the command described. */
  source?: string;
  /** `--no-probe` sets this false: do not ask registries for a token realm not yet known. */
  probe?: boolean;
  /** `--key` files the command described would get (`sign`, `verify`, `publish --sign`). */
  key?: string[];
  /** `--output-key-prefix` the command described would get (`key generate`). */
  outputKeyPrefix?: string;
  format: OutputFormat;
}

/** How the tool was launched, for the printed command line. */
export interface LaunchInfo {
  /** The entry module (`Deno.mainModule`). */
  mainModule: string;
  /** Whether this is a compiled binary (`Deno.build.standalone`). */
  standalone: boolean;
  /** The bundled examples folder. */
  examplesDir: string;
}

/** The JSON/YAML shape `ext permissions` prints. */
export interface PermissionsReport {
  /** The command described, or `*` for the set every command starts with. */
  command: string;
  /** The permission set. */
  permissions: PermissionSet;
  /** Each configured registry and the token realm hosts it named (remembered or asked). */
  tokenRealms: { registry: string; hosts: string[] }[];
  /** The `deno run` flags granting exactly the set. */
  flags: string[];
  /** `deno run <flags> <entry> <command>` as an argument list, or null for a compiled binary. */
  denoRun: string[] | null;
}

/** First words that name a top-level command rather than an `ext` subcommand. */
const TOP_LEVEL = ["env", "ext", "version", "completion"];

/**
 * Prints the permission set of a command line with the current configuration: the set the
 * configuration names, plus what the command's arguments add, found by parsing the command
 * line with the real command tree (its action does not run). Registries whose token realm is
 * not known yet are asked (`GET /v2/`) unless `--no-probe`, and the answer is remembered.
 *
 * @example
 * ```ts ignore
 * await runPermissions(ctx, {}, ["publish", "./redis"], { format: "json" }, launch);
 * ```
 *
 * @param ctx The CLI context.
 * @param globals Global flags (applied to the command described too).
 * @param words The command line described (`publish ./redis`), or none.
 * @param options `--source`, `--key`, `--output-key-prefix`, `--no-probe`, `--format`.
 * @param launch How the tool was launched, for the printed `deno run` line.
 */
export async function runPermissions(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  words: readonly string[],
  options: PermissionsOptions,
  launch: LaunchInfo,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const env: PlanEnv = { home: ctx.home, cwd: ctx.cwd, examplesDir: launch.examplesDir };
  const tokenRealms = await registryRealms(config, ctx.home, options.probe !== false);
  const commandLine = describedCommandLine(words, options);
  const set = commandLine.length === 0
    ? await planPermissions(config, env)
    : await describedSet(ctx, globals, commandLine) ?? await planPermissions(config, env);
  const flags = permissionFlags(set);
  const report: PermissionsReport = {
    command: commandLine.length === 0 ? "*" : commandLine.join(" "),
    permissions: set,
    tokenRealms,
    flags,
    denoRun: launch.standalone
      ? null
      : ["deno", "run", ...flags, entryPath(launch.mainModule, ctx.cwd), ...commandLine],
  };
  if (options.format !== "table") return ctx.out(await formatData(report, options.format));
  ctx.out(renderTable(report));
}

/** The command line described: `ext` added, `"cache clear"` split, the options appended. */
function describedCommandLine(words: readonly string[], options: PermissionsOptions): string[] {
  const [head = "", ...rest] = words;
  const split = [...head.split(/\s+/).filter((word) => word !== ""), ...rest];
  if (split.length === 0) return [];
  // A full command line (top-level word or global flags first) stays as typed.
  const full = TOP_LEVEL.includes(split[0]!) || split[0]!.startsWith("-");
  const line = full ? split : ["ext", ...split];
  if (options.source !== undefined) line.push("--source", options.source);
  for (const key of options.key ?? []) line.push("--key", key);
  if (options.outputKeyPrefix !== undefined) {
    line.push("--output-key-prefix", options.outputKeyPrefix);
  }
  return line;
}

/**
 * The set of a command line, from the real command tree in plan mode; undefined when the
 * command has no action to plan or lacks a required argument (then it adds nothing).
 */
async function describedSet(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  commandLine: readonly string[],
): Promise<PermissionSet | undefined> {
  const { buildProgram } = await import("./program.ts");
  let said = "";
  const program = buildProgram({ ...ctx, out: () => {}, err: (text) => (said += text) });
  const flags = [
    ...(globals.registry === undefined ? [] : ["--registry", globals.registry]),
    ...(globals.namespace === undefined ? [] : ["--namespace", globals.namespace]),
    ...(globals.cacheDir === undefined ? [] : ["--cache-dir", globals.cacheDir]),
    ...(globals.caFile === undefined ? [] : ["--ca-file", globals.caFile]),
    ...(globals.plainHttp === true ? ["--plain-http"] : []),
  ];
  try {
    await planningPermissions(() => program.parseAsync([...flags, ...commandLine]));
    return undefined;
  } catch (error) {
    if (error instanceof PlannedPermissions) return error.set;
    if (!(error instanceof CommandLineStop)) throw error;
    if (error.exitCode === 0 || error.code === "missingArgument") return undefined;
    throw new ProvisioningError(
      "USAGE",
      `Cannot describe "${commandLine.join(" ")}": ${
        (said.split("\n")[0] ?? "").replace(/^error: /, "")
      }`,
      { hint: "Name a command as you would run it: provisioning ext permissions publish ./redis" },
    );
  }
}

/**
 * Each configured registry with the token realm hosts it named: remembered ones, else (with
 * `probe`) asked now and remembered.
 */
async function registryRealms(
  config: ResolvedConfig,
  home: string,
  probe: boolean,
): Promise<PermissionsReport["tokenRealms"]> {
  const out: PermissionsReport["tokenRealms"] = [];
  for (const oci of configuredRegistries(config)) {
    if (out.some((row) => row.registry === oci.registry)) continue;
    const hosts = await realmHostsOf(home, oci, { ask: probe });
    out.push({ registry: oci.registry, hosts: hosts ?? [] });
  }
  return out;
}

function entryPath(mainModule: string, cwd: string): string {
  if (!mainModule.startsWith("file:")) return mainModule;
  const path = fileURLToPath(mainModule);
  return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
}

function renderTable(report: PermissionsReport): string {
  const set = report.permissions;
  const lines = [
    report.command === "*"
      ? "Permissions every command starts with, from the current configuration:"
      : `Permissions of "provisioning ${report.command}" with the current configuration:`,
  ];
  const row = (kind: string, values: readonly string[], note = "") => {
    const [first, ...rest] = values.length === 0 ? ["(none)"] : values;
    lines.push(`  ${kind.padEnd(6)}${first}${note}`);
    for (const value of rest) lines.push(`  ${"".padEnd(6)}${value}`);
  };
  row("read", set.read);
  row("write", set.write);
  row("net", set.net);
  row("env", [set.env.join(" ")], set.ignoreEnv ? " (every other variable reads as unset)" : "");
  row("run", set.run);
  for (const realm of report.tokenRealms) {
    lines.push(
      realm.hosts.length === 0
        ? `Registry "${realm.registry}" named no token realm (or did not answer)`
        : `Registry "${realm.registry}" named token realm ${realm.hosts.join(", ")}`,
    );
  }
  if (report.denoRun === null) {
    lines.push("This binary runs every command in a worker that holds only these permissions.");
  } else {
    lines.push(
      "Run it with exactly these permissions:",
      `  ${report.denoRun.map(shellQuote).join(" ")}`,
    );
  }
  return lines.join("\n") + "\n";
}
