import { PLAN_ENV_VARS } from "./plan.ts";

/**
 * The flags of a broad launch: what `deno task ext` and `deno task compile` carry, and what
 * the compiled binary is built with. Every path and host (the command's own set is not known
 * before its arguments and configuration are read), every program (`git` and the Docker
 * credential helpers the configuration names are only known then too),
 * {@linkcode PLAN_ENV_VARS} only, no prompts, and worker options, so the entry point can run
 * each command in a Worker narrowed to its plan (`launch_least_privilege.ts`). No
 * `--allow-sys`, `--allow-ffi` or remote imports at all.
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
  `--allow-env=${PLAN_ENV_VARS.join(",")}`,
  "--ignore-env",
  // Programs are configuration (git, Docker credential helpers): the worker gets only those.
  "--allow-run",
  "--unstable-worker-options",
];
