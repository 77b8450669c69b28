import { COMMAND_NEEDS } from "./command_needs.ts";

/** What {@linkcode scanArgv} found in a command line. */
export interface ScannedArgv {
  /** The command words, for example `["ext", "cache", "clear"]` (empty for help). */
  command: string[];
  /** `--registry`, `--namespace`, `--cache-dir`, `--ca-file`, `--plain-http` as given. */
  globals: {
    registry?: string;
    namespace?: string;
    cacheDir?: string;
    caFile?: string;
    plainHttp?: boolean;
  };
  /** `--source` as given. */
  source: string | undefined;
  /** The first positional argument after the command words, if any. */
  argument: string | undefined;
  /** The second positional argument (`ext copy REF DEST`), if any. */
  destination: string | undefined;
  /** `--from-oci-layout` as given. */
  fromLayout: string | undefined;
  /** `--offline` or `--dry-run` was given: the command contacts nothing. */
  offline: boolean;
  /** `--port` as given (`ext ui`). */
  port?: string;
  /** `--open` was given (`ext ui`). */
  open?: boolean;
  /** Every `--key` value (key files to read). */
  keyFiles: string[];
  /** `--output-key-prefix` as given. */
  outputKeyPrefix?: string;
}

/** Flags after which a command contacts no registry or server. */
export const OFFLINE_FLAGS: readonly string[] = ["--offline", "--dry-run"];

/**
 * Options that take a value (as the next argument, or after `=`), so their value is never
 * taken for a command word or the positional argument. Keep in step with the command tree
 * (a test compares it with every value flag the tree declares).
 */
export const VALUE_OPTIONS: readonly string[] = [
  "--registry",
  "--namespace",
  "--cache-dir",
  "--ca-file",
  "--from-oci-layout",
  "--source",
  "-s",
  "--type",
  "-t",
  "--format",
  "-o",
  "--version",
  "--username",
  "-u",
  "--password",
  "-p",
  "--days",
  "--max-file-size",
  "--name",
  "--keep",
  "--port",
  "--key",
  "--output-key-prefix",
  "--annotation",
  "-a",
  "--input",
];

/**
 * Finds the command, the global flags, `--source` and the first positional argument in a
 * command line, without running anything: the launcher needs them to compute the
 * permission set before the command starts. Command words are matched against the
 * {@linkcode COMMAND_NEEDS} table; anything not understood leaves the command empty, which
 * needs nothing (so Deno refuses whatever it would do).
 *
 * @example
 * ```ts
 * import { scanArgv } from "./scan_argv.ts";
 * import assert from "node:assert/strict";
 *
 * const scanned = scanArgv(["--cache-dir", "/c", "ext", "publish", "./aws", "--version", "1.0.0"]);
 * assert.deepEqual(scanned.command, ["ext", "publish"]);
 * assert.equal(scanned.globals.cacheDir, "/c");
 * assert.equal(scanned.argument, "./aws");
 * assert.equal(scanArgv(["ext", "load", "aws", "--offline"]).offline, true);
 * assert.equal(scanArgv(["ext", "load", "-t", "provider", "aws", "-s", "oci"]).argument, "aws");
 * assert.equal(scanArgv(["ext", "load", "aws", "-soci"]).source, "oci");
 * ```
 *
 * @param argv Arguments after the program name.
 * @returns What was found.
 */
export function scanArgv(argv: readonly string[]): ScannedArgv {
  const known = Object.keys(COMMAND_NEEDS);
  const result: ScannedArgv = {
    command: [],
    globals: {},
    source: undefined,
    argument: undefined,
    destination: undefined,
    fromLayout: undefined,
    offline: false,
    keyFiles: [],
  };
  let commandDone = false;
  let optionsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!optionsDone && arg === "--") {
      optionsDone = true;
      continue;
    }
    if (!optionsDone && arg.startsWith("-") && arg !== "-") {
      // `-s oci` and `-soci` (a short flag with its value attached, as Commander reads it).
      const attached = !arg.startsWith("--") && arg.length > 2 ? 2 : -1;
      const eq = attached === -1 ? arg.indexOf("=") : -1;
      const name = attached !== -1 ? arg.slice(0, 2) : eq === -1 ? arg : arg.slice(0, eq);
      if (OFFLINE_FLAGS.includes(name)) result.offline = true;
      if (name === "--plain-http") result.globals.plainHttp = true;
      if (name === "--open") result.open = true;
      if (!VALUE_OPTIONS.includes(name)) continue;
      const value = attached !== -1
        ? arg.slice(attached)
        : eq === -1
        ? argv[++i]
        : arg.slice(eq + 1);
      if (value === undefined) continue;
      if (name === "--registry") result.globals.registry = value;
      else if (name === "--namespace") result.globals.namespace = value;
      else if (name === "--cache-dir") result.globals.cacheDir = value;
      else if (name === "--ca-file") result.globals.caFile = value;
      else if (name === "--from-oci-layout") result.fromLayout = value;
      else if (name === "--source" || name === "-s") result.source = value;
      else if (name === "--port") result.port = value;
      else if (name === "--key") result.keyFiles.push(value);
      else if (name === "--output-key-prefix") result.outputKeyPrefix = value;
      continue;
    }
    if (!commandDone) {
      const next = [...result.command, arg].join(" ");
      if (known.some((key) => key === next || key.startsWith(next + " "))) {
        result.command.push(arg);
        continue;
      }
      commandDone = true;
    }
    if (result.argument === undefined) result.argument = arg;
    else if (result.destination === undefined) result.destination = arg;
  }
  if (!known.includes(result.command.join(" "))) result.command = [];
  return result;
}
