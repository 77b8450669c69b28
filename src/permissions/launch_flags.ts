import { CONFIG_ENV_VARS } from "../config/env_vars.ts";
import { COSIGN_PASSWORD, SOURCE_DATE_EPOCH, TOOL_PATH } from "./command_needs.ts";
import { PROCESS_ENV_VARS } from "./compute_permissions.ts";

/**
 * Every environment variable any command reads: the process's ({@linkcode PROCESS_ENV_VARS}),
 * the configuration's ({@linkcode CONFIG_ENV_VARS}) and
 * `SOURCE_DATE_EPOCH` (`ext publish`), `PATH` (`ext install`) and `COSIGN_PASSWORD` (signing). A broad launch grants exactly these, with
 * `--ignore-env`, so a worker can be given any command's variables and nothing else exists.
 */
export const LAUNCH_ENV_VARS: readonly string[] = [
  ...PROCESS_ENV_VARS,
  ...CONFIG_ENV_VARS,
  SOURCE_DATE_EPOCH,
  TOOL_PATH,
  COSIGN_PASSWORD,
];

/**
 * The flags of a broad launch: what `deno task ext` and `deno task compile` carry, and what
 * the compiled binary is built with. Every path and host (the command's own set is not known
 * before its arguments and configuration are read), every program (`git` and the Docker
 * credential helpers the configuration names are only known then too),
 * {@linkcode LAUNCH_ENV_VARS} only, no prompts, and worker options, so the entry point can run
 * each command in a Worker narrowed to that command's set ({@linkcode runScoped}). No `--allow-sys`, `--allow-ffi` or
 * remote imports at all.
 *
 * @example
 * ```ts
 * import { BROAD_LAUNCH_FLAGS } from "./launch_flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(BROAD_LAUNCH_FLAGS.includes("--unstable-worker-options"));
 * assert.ok(BROAD_LAUNCH_FLAGS.includes("--allow-run"));
 * assert.ok(!BROAD_LAUNCH_FLAGS.includes("--allow-env"));
 * ```
 */
export const BROAD_LAUNCH_FLAGS: readonly string[] = [
  "--no-prompt",
  "--allow-read",
  "--allow-write",
  "--allow-net",
  `--allow-env=${LAUNCH_ENV_VARS.join(",")}`,
  "--ignore-env",
  // Programs are configuration (git, Docker credential helpers): the worker gets only those.
  "--allow-run",
  "--unstable-worker-options",
];
