/**
 * Runs `_probe.ts` under a permission set in both ways users run the tool, for the
 * enforcement tests.
 *
 * @module
 */

import {
  BROAD_LAUNCH_FLAGS,
  permissionFlags,
  type PermissionSet,
} from "../../src/permissions/mod.ts";
import type { ProbeOp, ProbeResult } from "./_probe.ts";

const PROBE = new URL("./_probe.ts", import.meta.url).pathname;

/**
 * The flags of a broad launch, as the compiled binary and `deno task ext` carry them: every
 * path and host, the documented variables only (`--ignore-env`), `git`, no prompts, and
 * worker options so the command can run narrowed (defined in `src/permissions`).
 */
export { BROAD_LAUNCH_FLAGS };

/** How the probe is launched. */
export type Launch = "flags" | "worker";

/** Both launches, for `t.step` tables. */
export const LAUNCHES: readonly { launch: Launch; label: string }[] = [
  { launch: "flags", label: "deno run with the scoped flags" },
  { launch: "worker", label: "broad launch, scoped worker" },
];

/**
 * Runs the operations under `set`: `flags` launches `deno run <permissionFlags(set)>`;
 * `worker` launches with {@linkcode BROAD_LAUNCH_FLAGS} and narrows with `runScoped`.
 *
 * @param launch Which launch.
 * @param set The permission set.
 * @param ops The operations.
 * @param env Extra environment for the child.
 * @returns One result per operation.
 */
export async function probe(
  launch: Launch,
  set: PermissionSet,
  ops: ProbeOp[],
  env: Record<string, string> = {},
): Promise<ProbeResult[]> {
  const args = launch === "flags"
    ? ["run", ...permissionFlags(set), PROBE, "inline", JSON.stringify(ops)]
    : ["run", ...BROAD_LAUNCH_FLAGS, PROBE, "worker", JSON.stringify(set), JSON.stringify(ops)];
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  if (output.code !== 0) {
    throw new Error(`probe (${launch}) exited with ${output.code}:\n${stdout}\n${stderr}`);
  }
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as ProbeResult[];
}

/**
 * A set that grants nothing but what a test adds.
 *
 * @param grants The lists to set.
 * @returns The set.
 */
export function setOf(grants: Partial<PermissionSet>): PermissionSet {
  return { read: [], write: [], net: [], env: [], run: [], ignoreEnv: true, ...grants };
}
