/**
 * `provisioning completion bash|zsh|fish` through the real CLI: the bash script is sourced in
 * a real `bash`, which completes partial command lines by calling the completion function
 * with `COMP_WORDS`/`COMP_CWORD`, exactly as readline does; extension names come from the
 * discovery cache through `provisioning __complete-names` (a `provisioning` on `PATH` that
 * runs this checkout). zsh and fish scripts are syntax-checked where those shells exist.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/launch_flags.ts";
import { runCli } from "./run_cli.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** A discovery cache listing (the `DiscoveryCacheFile` layout) naming these extensions. */
async function writeDiscoveryCache(cacheRoot: string, names: string[]): Promise<void> {
  await Deno.mkdir(join(cacheRoot, "discovery"), { recursive: true });
  await Deno.writeTextFile(
    join(cacheRoot, "discovery", "oci-0123456789abcdef.json"),
    JSON.stringify({
      format: 1,
      source: "oci",
      label: "localhost:5000/provisioning-extensions",
      key: '["oci","localhost:5000","provisioning-extensions",[]]',
      createdAt: new Date().toISOString(),
      extensions: names.map((name) => ({
        name,
        type: "taskserv",
        version: "1.0.0",
        source: "oci",
      })),
    }),
  );
}

async function shellExists(shell: string): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(shell, { args: ["-c", "exit 0"] }).output();
    return code === 0;
  } catch {
    return false;
  }
}

/** Completes each line (words; the last is the one being completed) in one real bash. */
async function completeInBash(
  home: string,
  script: string,
  lines: string[][],
): Promise<string[][]> {
  const bin = join(home, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const wrapper = join(bin, "provisioning");
  await Deno.writeTextFile(
    wrapper,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --quiet ${
      BROAD_LAUNCH_FLAGS.join(" ")
    } "${MAIN}" "$@"\n`,
  );
  await Deno.chmod(wrapper, 0o755);
  await Deno.writeTextFile(join(home, "completion.bash"), script);
  const calls = lines.map((words) =>
    `complete_line ${words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(" ")}`
  );
  const driver = [
    `source "${join(home, "completion.bash")}"`,
    `complete -p provisioning`,
    `complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=();`,
    `  _provisioning; printf '%s\\n' "\${COMPREPLY[@]}" | sort; echo '<end>'; }`,
    ...calls,
  ].join("\n");
  const deno = Deno.env.get("DENO_DIR");
  const output = await new Deno.Command("bash", {
    args: ["--norc", "--noprofile", "-c", driver],
    clearEnv: true,
    env: {
      HOME: home,
      NO_COLOR: "1",
      PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      DENO_DIR: deno ?? join(Deno.env.get("HOME") ?? home, ".cache", "deno"),
    },
    cwd: home,
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const [registration, ...rest] = stdout.split("\n");
  assert.equal(registration, "complete -F _provisioning provisioning");
  const blocks = rest.join("\n").split("<end>\n");
  blocks.pop();
  return blocks.map((block) => block.split("\n").filter((word) => word !== ""));
}

Deno.test("completion bash, sourced in a real bash, completes commands, flags, values and names", async () => {
  const home = await Deno.makeTempDir({ prefix: "completion-cli-home-" });
  try {
    await writeDiscoveryCache(join(home, ".provisioning", "cache"), [
      "redis",
      "redis-cluster",
      "aws",
    ]);
    const generated = await runCli(["completion", "bash"], { home });
    assert.equal(generated.code, 0, generated.stderr);
    assert.equal(generated.stderr, "");
    const cases: [string[], string[]][] = [
      [["provisioning", ""], ["completion", "env", "ext", "help", "version"]],
      [["provisioning", "ext", "ca"], ["cache"]],
      [["provisioning", "ext", "cache", "c"], ["clear"]],
      [["provisioning", "--cache-dir", "/tmp", "ext", "lo"], ["load", "login", "logout"]],
      [["provisioning", "ext", "load", "--ty"], ["--type"]],
      [["provisioning", "ext", "load", "--type", ""], ["cluster", "provider", "taskserv"]],
      [["provisioning", "ext", "load", "--source", "o"], ["oci", "oci-layout"]],
      [["provisioning", "ext", "load", "-t", ""], ["cluster", "provider", "taskserv"]],
      [["provisioning", "ext", "list", "-o", "y"], ["yaml"]],
      [["provisioning", "ext", "load", "-s", "examples", "k"], []],
      [["provisioning", "ext", "list", "--source", ""], [
        "auto",
        "examples",
        "git",
        "gitea",
        "local",
        "oci",
        "oci-layout",
      ]],
      [["provisioning", "ext", "info", "--format", "j"], ["json"]],
      [["provisioning", "ext", "load", "--type=ta"], ["--type=taskserv"]],
      [["provisioning", "ext", "load", "--type", "=", "cl"], ["cluster"]],
      [["provisioning", "ext", "load", "re"], ["redis", "redis-cluster"]],
      [["provisioning", "ext", "load", "--type", "taskserv", "r"], ["redis", "redis-cluster"]],
      [["provisioning", "ext", "cache", "clear", "--name", ""], ["aws", "redis", "redis-cluster"]],
      [["provisioning", "ext", "delete", "aws", ""], []],
      [["provisioning", "ext", "load", "redis", "--registry", "h:5000", "--fo"], [
        "--force",
        "--format",
      ]],
      [["provisioning", "completion", ""], ["bash", "fish", "zsh"]],
    ];
    const got = await completeInBash(home, generated.stdout, cases.map(([words]) => words));
    for (const [i, [words, expected]] of cases.entries()) {
      assert.deepEqual(got[i], expected, `completing ${JSON.stringify(words)}`);
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("__complete-names prints nothing (exit 0) when there is no discovery cache", async () => {
  const home = await Deno.makeTempDir({ prefix: "completion-cli-home-" });
  try {
    const run = await runCli(["__complete-names"], { home });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    const help = await runCli(["--help"], { home });
    assert.doesNotMatch(help.stdout, /__complete-names/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("completion zsh|fish generate scripts their shell accepts (syntax check)", async (t) => {
  const home = await Deno.makeTempDir({ prefix: "completion-cli-home-" });
  try {
    for (const [shell, check] of [["bash", ["-n"]], ["zsh", ["-n"]], ["fish", ["--no-execute"]]]) {
      await t.step(shell as string, async () => {
        const run = await runCli(["completion", shell as string], { home });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /provisioning/);
        if (!(await shellExists(shell as string))) {
          console.warn(`SKIPPED: ${shell} is not installed; its script was generated, not checked`);
          return;
        }
        const file = join(home, `completion.${shell}`);
        await Deno.writeTextFile(file, run.stdout);
        const out = await new Deno.Command(shell as string, { args: [...check!, file] }).output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      });
    }
    await t.step("an unknown shell is a usage error (exit 2)", async () => {
      const run = await runCli(["completion", "powershell"], { home });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /bash, zsh, fish|"bash", "zsh", "fish"/);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
