/**
 * `ext permissions [COMMAND…]`: the exact Deno permissions a command needs under the
 * current configuration, as a table, JSON or YAML, with the `deno run` line that grants
 * exactly those.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ProvisioningError } from "../errors.ts";
import {
  COMMAND_NEEDS,
  type CommandNeeds,
  commandNeeds,
  permissionFlags,
  type PermissionPlan,
  type PermissionSet,
  planPermissions,
  shellQuote,
  unionNeeds,
} from "../permissions/mod.ts";
import type { GlobalConfigOptions } from "./config.ts";
import type { CliContext } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** Options of `ext permissions`. */
export interface PermissionsOptions {
  /** `--source` of the command described. */
  source?: string;
  /** `--no-probe` sets this false: do not ask the registry for its token realm. */
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

/** Commands left out when no command is named: they write credentials. */
const CREDENTIAL_COMMANDS = ["ext login", "ext logout"];

/** The JSON/YAML shape `ext permissions` prints. */
export interface PermissionsReport {
  /** The command described, or `*` for every command but login/logout. */
  command: string;
  /** The permission set. */
  permissions: PermissionSet;
  /** The registries asked for a token realm, and the realm hosts each named. */
  tokenRealms: { registry: string; hosts: string[] }[];
  /** The `deno run` flags granting exactly the set. */
  flags: string[];
  /** `deno run <flags> <entry> <command>` as an argument list, or null for a compiled binary. */
  denoRun: string[] | null;
}

/**
 * Resolves the words after `ext permissions` to a command path and its argument:
 * `load` and `ext load` → `ext load`; `cache clear` → `ext cache clear`; `env` → `env`;
 * `publish ./dir` → `ext publish` with argument `./dir`; no words → every command.
 *
 * @param words The words as typed.
 * @returns The command path (empty for every command) and argument.
 * @throws {ProvisioningError} `USAGE` for an unknown command.
 */
export function resolveCommandWords(
  words: readonly string[],
): { command: string[]; argument: string | undefined } {
  // `"cache clear"` typed as one word names the command too; the argument stays whole.
  const [head = "", ...rest] = words;
  const split = [...head.split(/\s+/).filter((word) => word !== ""), ...rest];
  if (split.length === 0) return { command: [], argument: undefined };
  const path = split[0] === "env" || split[0] === "ext" ? split : ["ext", ...split];
  for (let length = path.length; length > 0; length--) {
    const key = path.slice(0, length).join(" ");
    if (key in COMMAND_NEEDS) {
      return { command: path.slice(0, length), argument: path[length] };
    }
  }
  throw new ProvisioningError("USAGE", `Unknown command "${words.join(" ")}"`, {
    hint: `Name one of: ${
      Object.keys(COMMAND_NEEDS).map((key) => key.replace(/^ext /, "")).join(", ")
    }`,
  });
}

/**
 * Prints the permission set of a command for the current configuration.
 *
 * @param ctx Output and environment.
 * @param globals Global flags (they change the configuration described).
 * @param words The command to describe (`load`, `cache clear`, `publish ./dir`).
 * @param options `--source`, `--no-probe`, `--format`.
 * @param launch The entry module, whether compiled, and the examples folder.
 * @throws {ProvisioningError} `USAGE` for an unknown command; configuration errors.
 */
export async function runPermissions(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  words: readonly string[],
  options: PermissionsOptions,
  launch: LaunchInfo,
): Promise<void> {
  const { command, argument } = resolveCommandWords(words);
  const needs: CommandNeeds = command.length > 0 ? commandNeeds(command) : unionNeeds(
    Object.entries(COMMAND_NEEDS)
      .filter(([key]) => !CREDENTIAL_COMMANDS.includes(key))
      .map(([, value]) => value),
  );
  const plan = await planPermissions(
    {
      command,
      globals,
      source: options.source,
      argument,
      needs,
      keyFiles: options.key ?? [],
      outputKeyPrefix: options.outputKeyPrefix,
    },
    {
      home: ctx.home,
      cwd: ctx.cwd,
      execPath: "deno",
      examplesDir: launch.examplesDir,
      getEnv: ctx.getEnv,
    },
    { probeTokenRealm: options.probe !== false },
  );
  if (plan.needs.hooks === true && argument !== undefined) {
    // `ext run NAME`: the hosts and variables approved for NAME (and those it declares when
    // this command may read it; `ext permissions` itself reads no extension source).
    const { planHookGrants } = await import("../hooks/plan_hook_grants.ts");
    const source = options.source === undefined ? [] : ["--source", options.source];
    const set = await planHookGrants(plan, ["ext", "run", argument, ...source], {
      home: ctx.home,
      cwd: ctx.cwd,
      execPath: "deno",
      getEnv: ctx.getEnv,
    });
    if (typeof set !== "number") plan.set = set;
  }
  const flags = permissionFlags(plan.set);
  const commandLine = [...command, ...(argument === undefined ? [] : [argument])];
  const report: PermissionsReport = {
    command: command.length > 0 ? command.join(" ") : "*",
    permissions: plan.set,
    tokenRealms: plan.tokenRealms,
    flags,
    denoRun: launch.standalone
      ? null
      : ["deno", "run", ...flags, entryPath(launch.mainModule, ctx.cwd), ...commandLine],
  };
  if (options.format !== "table") return ctx.out(await formatData(report, options.format));
  ctx.out(renderTable(report, plan));
}

function entryPath(mainModule: string, cwd: string): string {
  if (!mainModule.startsWith("file:")) return mainModule;
  const path = fileURLToPath(mainModule);
  return path.startsWith(cwd + "/") ? path.slice(cwd.length + 1) : path;
}

function renderTable(report: PermissionsReport, plan: PermissionPlan): string {
  const set = report.permissions;
  const lines = [
    report.command === "*"
      ? "Permissions of every command but login/logout, with the current configuration:"
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
  for (const realm of plan.tokenRealms) {
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
