/**
 * The tool installed as a command, as the README documents it
 * (`deno install -g -n provisioning --config <checkout>/deno.json <broad launch flags> main.ts`),
 * behaves as the task does: a broad launch that narrows each command, running in the folder
 * the user is in (here a project with its own `workspace/config/local-overrides.toml`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BROAD_LAUNCH_FLAGS } from "../../src/permissions/launch_flags.ts";

const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

Deno.test("deno install -g -n provisioning gives a command that works like the task", async () => {
  const home = await Deno.makeTempDir({ prefix: "deno-install-" });
  try {
    const env = {
      HOME: home,
      NO_COLOR: "1",
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? home, ".cache", "deno"),
    };
    const install = await new Deno.Command(Deno.execPath(), {
      args: [
        "install",
        "-g",
        "--quiet",
        "--root",
        join(home, "tools"),
        "-n",
        "provisioning",
        "--config",
        CONFIG,
        ...BROAD_LAUNCH_FLAGS,
        MAIN,
      ],
      clearEnv: true,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
    const project = join(home, "project");
    await Deno.mkdir(join(project, "workspace", "config"), { recursive: true });
    await Deno.writeTextFile(
      join(project, "workspace", "config", "local-overrides.toml"),
      `[extensions]\nsource_type = "examples"\n[cache]\ndir = "${join(project, "cache")}"\n`,
    );
    const run = await new Deno.Command(join(home, "tools", "bin", "provisioning"), {
      args: ["ext", "load", "kubernetes", "--format", "json"],
      cwd: project,
      clearEnv: true,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, stderr);
    const loaded = JSON.parse(new TextDecoder().decode(run.stdout));
    assert.equal(loaded.source, "examples");
    const env2 = await new Deno.Command(join(home, "tools", "bin", "provisioning"), {
      args: ["env", "--format", "json"],
      cwd: project,
      clearEnv: true,
      env,
      stdout: "piped",
    }).output();
    const settings = JSON.parse(new TextDecoder().decode(env2.stdout)).settings;
    const cache = settings.find((s: { key: string }) => s.key === "cache.dir");
    assert.equal(cache.value, join(project, "cache"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
