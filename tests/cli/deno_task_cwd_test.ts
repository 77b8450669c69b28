/**
 * `deno task --config <checkout>/deno.json ext …` run from a project folder: Deno runs the task
 * in the checkout and passes the caller's folder as `INIT_CWD`, and the tool works from there —
 * `./x` is the project's folder, and the project's `workspace/config/local-overrides.toml` is
 * the configuration used (through the real task, a broad launch, against the real registry).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { registryTest } from "../harness/registry.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";

const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

registryTest("deno task ext publish ./x and ext load work from the caller's folder", async (
  _t,
  reg,
) => {
  const home = await Deno.makeTempDir({ prefix: "task-cwd-" });
  try {
    const project = join(home, "project");
    const namespace = uniqueNamespace("task");
    await Deno.mkdir(join(project, "workspace", "config"), { recursive: true });
    await Deno.writeTextFile(
      join(project, "workspace", "config", "local-overrides.toml"),
      `[oci]\nregistry = "${reg.host}"\nnamespace = "${namespace}"\nretry_count = 0\n` +
        `[cache]\ndir = "${join(project, "cache")}"\n`,
    );
    await Deno.mkdir(join(project, "x"));
    await Deno.writeTextFile(
      join(project, "x", "extension.yaml"),
      "extension:\n  name: taskcwd\n  version: 1.0.0\n  type: provider\n  description: from a task\n",
    );
    const task = async (...args: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["task", "--quiet", "--config", CONFIG, "ext", ...args],
        cwd: project,
        clearEnv: true,
        env: {
          HOME: home,
          NO_COLOR: "1",
          PATH: Deno.env.get("PATH") ?? "",
          DENO_DIR: Deno.env.get("DENO_DIR") ??
            join(Deno.env.get("HOME") ?? home, ".cache", "deno"),
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
    };
    const published = await task("publish", "./x", "--format", "json");
    assert.equal(published.code, 0, published.stderr);
    assert.match(JSON.parse(published.stdout).reference, new RegExp(`^${reg.host}/${namespace}/`));
    const loaded = await task("load", "taskcwd", "--source", "oci", "--format", "json");
    assert.equal(loaded.code, 0, loaded.stderr);
    const result = JSON.parse(loaded.stdout);
    assert.equal(result.version, "1.0.0");
    assert.ok(result.path.startsWith(join(project, "cache")), result.path);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
