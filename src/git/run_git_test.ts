import assert from "node:assert/strict";
import { runGit } from "./run_git.ts";

Deno.test("runGit() streams standard output into a writable", async () => {
  let text = "";
  const decoder = new TextDecoder();
  const result = await runGit(["--version"], {
    stdout: new WritableStream({ write: (chunk) => void (text += decoder.decode(chunk)) }),
  });
  assert.equal(result.code, 0);
  assert.equal(result.stdout, "");
  assert.match(text, /^git version /);
});

Deno.test("runGit() resolves with the exit code and stderr of a failing git", async () => {
  const result = await runGit(["rev-parse", "--git-dir"], { cwd: "/" });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /not a git repository/);
});

Deno.test("runGit() says clearly when git is not installed", async () => {
  // A child Deno with an empty PATH, so this process's environment stays untouched.
  const code = `
    import { runGit } from ${JSON.stringify(new URL("./run_git.ts", import.meta.url).href)};
    try { await runGit(["--version"]); console.log("ran"); }
    catch (e) { console.log(e.code + "|" + e.message + "|" + e.hint); }
  `;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", code],
    env: { PATH: "/nonexistent", NO_COLOR: "1" },
  }).output();
  const [errorCode, message, hint] = new TextDecoder().decode(output.stdout).trim().split("|");
  assert.equal(errorCode, "UNSUPPORTED");
  assert.match(message ?? "", /Cannot run "git": it is not installed/);
  assert.match(hint ?? "", /Install git/);
});
