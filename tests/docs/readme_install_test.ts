/**
 * The README's `deno install` line carries exactly the broad launch flags the task and the
 * binary use, so an installed `provisioning` behaves as `deno task ext` does.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/launch_flags.ts";

Deno.test("the README's deno install line holds the broad launch flags", async () => {
  const readme = await Deno.readTextFile(
    fileURLToPath(new URL("../../README.md", import.meta.url)),
  );
  const start = readme.indexOf("deno install -g");
  assert.ok(start >= 0, "no deno install line");
  // The command runs until the first line that does not end in a continuation backslash.
  const lines: string[] = [];
  for (const line of readme.slice(start).split("\n")) {
    lines.push(line.replace(/\\$/, "").trim());
    if (!line.endsWith("\\")) break;
  }
  const words = lines.join(" ").split(/\s+/);
  for (const flag of BROAD_LAUNCH_FLAGS) assert.ok(words.includes(flag), `missing ${flag}`);
  const flags = words.filter((w) =>
    w.startsWith("--") && w.includes("allow") || w === "--ignore-env"
  );
  assert.deepEqual(flags.filter((f) => !BROAD_LAUNCH_FLAGS.includes(f)), []);
});
