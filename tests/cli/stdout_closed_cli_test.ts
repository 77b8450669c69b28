/**
 * A reader that closes stdout early (`provisioning env | head -c 0`) ends the command quietly:
 * exit code 0 and nothing on stderr, in the launch users get (broad launch, scoped worker),
 * instead of an "Unexpected failure: Broken pipe" (ripgrep behaves the same way).
 */

import assert from "node:assert/strict";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/mod.ts";
import { withTempHome } from "./run_cli.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

Deno.test("a closed stdout ends the command quietly with exit code 0", async () => {
  await withTempHome("stdout-closed-", async (home) => {
    // head -c 0 exits before the command writes: its write meets a pipe with no reader.
    const line = `"$DENO" run --quiet ${BROAD_LAUNCH_FLAGS.join(" ")} "$MAIN" env | head -c 0; ` +
      'echo "status=${PIPESTATUS[0]}"';
    const out = await new Deno.Command("bash", {
      args: ["-c", line],
      env: {
        DENO: Deno.execPath(),
        MAIN,
        HOME: home,
        PATH: Deno.env.get("PATH") ?? "",
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(new TextDecoder().decode(out.stdout), "status=0\n", stderr);
    assert.equal(stderr, "");
  });
});
