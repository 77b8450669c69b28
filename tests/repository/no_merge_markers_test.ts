/**
 * A merge conflict left inside a doc comment passes lint, fmt and type check; this catches it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

Deno.test("no tracked file holds a merge conflict marker", async () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  // `git grep` exits 1 when nothing matches; the markers are spelled in pieces so this file
  // does not match itself.
  const marker = ["<".repeat(7), "=".repeat(7), ">".repeat(7)];
  const pattern = `^( \\* )?(${marker[0]} |${marker[1]}$|${marker[2]} )`;
  const out = await new Deno.Command("git", {
    args: ["grep", "-n", "-E", pattern, "--", "."],
    cwd: root,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(new TextDecoder().decode(out.stdout), "");
});
