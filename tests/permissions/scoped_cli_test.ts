/**
 * The CLI's commands work under their scoped permission sets against the real registry, in
 * both launches: a broad launch that narrows a worker (`_entry.ts`, wired as `main.ts` will
 * be) and `deno run main.ts` with exactly the flags `ext permissions` prints. A token realm
 * on another port is reached only because the registry named it: without the probe, Deno
 * refuses the token request and the token server sees nothing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { registryTest } from "../harness/mod.ts";
import { BROAD_LAUNCH_FLAGS } from "./_launch.ts";

const ENTRY = fileURLToPath(new URL("./_entry.ts", import.meta.url));
const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const EXTENSION = fileURLToPath(
  new URL("../../examples/extensions/taskservs/kubernetes/1.28.0", import.meta.url),
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function spawn(
  args: string[],
  home: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<Run> {
  const passed: Record<string, string> = {};
  for (const name of ["PATH", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) passed[name] = value;
  }
  passed.DENO_DIR ??= `${Deno.env.get("HOME")}/.cache/deno`;
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: home,
    clearEnv: true,
    env: { ...passed, HOME: home, NO_COLOR: "1", ...env },
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** A broad launch of the CLI that narrows a worker per command. */
function scoped(
  args: string[],
  home: string,
  env: Record<string, string>,
  own: string[] = [],
  stdin?: string,
) {
  const launch = ["run", "--quiet", ...BROAD_LAUNCH_FLAGS, ENTRY, ...own, "--", ...args];
  return spawn(launch, home, env, stdin);
}

/**
 * `deno run main.ts` with exactly the flags `ext permissions` printed for the command (the
 * printed line names the running entry, `_entry.ts` here; `main.ts` takes its place).
 */
async function withPrintedFlags(
  command: string[],
  rest: string[],
  home: string,
  env: Record<string, string>,
): Promise<Run> {
  const printed = await scoped(["ext", "permissions", ...command, "--format", "json"], home, env);
  assert.equal(printed.code, 0, printed.stderr);
  const denoRun = JSON.parse(printed.stdout).denoRun as string[];
  assert.deepEqual(denoRun.slice(0, 2), ["deno", "run"]);
  const entry = denoRun.indexOf(ENTRY);
  assert.ok(entry > 0, `${ENTRY} not in ${denoRun.join(" ")}`);
  const flags = denoRun.slice(2, entry);
  assert.ok(flags.every((flag) => flag.startsWith("--")), flags.join(" "));
  return await spawn(
    ["run", "--quiet", ...flags, MAIN, ...denoRun.slice(entry + 1), ...rest],
    home,
    env,
  );
}

async function tempHome(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-cli-" }));
}

registryTest("commands work under their scoped sets against the real registry", async (t, reg) => {
  const home = await tempHome();
  const env = { PROVISIONING_OCI_REGISTRY: reg.host };
  const cache = `${home}/.provisioning/cache`;
  try {
    await t.step("ext publish --dry-run in a scoped worker with no network grant", async () => {
      const run = await scoped(["ext", "publish", EXTENSION, "--dry-run"], home, env);
      assert.equal(run.code, 0, run.stderr);
    });
    await t.step("ext publish in a scoped worker", async () => {
      const run = await scoped(["ext", "publish", EXTENSION, "--format", "json"], home, env);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).version, "1.28.0");
    });
    await t.step("ext pull in a scoped worker writes inside the cache root", async () => {
      const run = await scoped(
        ["ext", "pull", "kubernetes", "--source", "oci", "--version", "1.28.0", "--format", "json"],
        home,
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const path = JSON.parse(run.stdout).path as string;
      assert.ok(path.startsWith(`${cache}/`), path);
    });
    await t.step("ext cache list in a scoped worker", async () => {
      const run = await scoped(["ext", "cache", "list", "--format", "json"], home, env);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /kubernetes/);
    });
    await t.step("ext load with the flags ext permissions printed", async () => {
      const run = await withPrintedFlags(
        ["load"],
        ["kubernetes", "--source", "oci", "--force", "--format", "json"],
        home,
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).source, "oci");
    });
    // Every other command, each in a worker holding only its own set.
    const table: { args: string[]; stdin?: string; match?: RegExp }[] = [
      { args: ["env", "--format", "json"], match: /oci\.registry/ },
      { args: ["ext", "list", "--source", "oci", "--format", "json"], match: /kubernetes/ },
      { args: ["ext", "info", "kubernetes", "--source", "oci", "--format", "json"] },
      { args: ["ext", "versions", "kubernetes", "--source", "oci"], match: /1\.28\.0/ },
      { args: ["ext", "search", "kube", "--source", "oci"], match: /kubernetes/ },
      { args: ["ext", "discover", "--source", "oci", "--format", "json"], match: /kubernetes/ },
      { args: ["ext", "load", "kubernetes", "--source", "local", "--format", "json"] },
      { args: ["ext", "load", "kubernetes", "--offline", "--format", "json"] },
      { args: ["ext", "test-oci", "--format", "json"] },
      {
        args: ["ext", "login", reg.host, "--username", "u", "--password-stdin"],
        stdin: "p\n",
      },
      { args: ["ext", "logout", reg.host], match: /Removed/ },
      { args: ["ext", "cache", "stats", "--format", "json"] },
      { args: ["ext", "cache", "prune", "--days", "0", "--dry-run"] },
      { args: ["ext", "delete", "kubernetes", "1.28.0", "--force"] },
      { args: ["ext", "cache", "clear", "--all"] },
      { args: ["ext", "permissions"], match: /Run it with exactly these permissions/ },
    ];
    for (const { args, stdin, match } of table) {
      await t.step(`${args.slice(0, 3).join(" ")} in a scoped worker`, async () => {
        const run = await scoped(args, home, env, [], stdin);
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
        if (match !== undefined) assert.match(run.stdout, match);
      });
    }
    assert.deepEqual([...Deno.readDirSync(home)].map((entry) => entry.name).sort(), [
      ".provisioning",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

registryTest(
  "a token realm on another port is reached only after the registry named it",
  async (t, reg) => {
    const home = await tempHome();
    await Deno.mkdir(`${home}/.provisioning`);
    await Deno.writeTextFile(`${home}/.provisioning/token`, `${reg.username}:${reg.password}\n`, {
      mode: 0o600,
    });
    await Deno.writeTextFile(
      `${home}/.provisioning/config.toml`,
      `[oci]\nregistry = "${reg.host}"\nauth_token_path = "token"\nretry_count = 0\n`,
    );
    try {
      await t.step("without the probe, Deno refuses the token request", async () => {
        const before = reg.tokenRequests!();
        const run = await scoped(["ext", "test-oci", "--format", "json"], home, {}, [
          "--no-realm-probe",
        ]);
        assert.notEqual(run.code, 0);
        assert.equal(reg.tokenRequests!(), before);
      });
      await t.step("with the probe, the realm host is granted and test-oci passes", async () => {
        const run = await scoped(["ext", "test-oci", "--format", "json"], home, {});
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).auth, "bearer");
      });
      await t.step("ext permissions names the realm host", async () => {
        const run = await scoped(["ext", "permissions", "test-oci", "--format", "json"], home, {});
        assert.equal(run.code, 0, run.stderr);
        const report = JSON.parse(run.stdout);
        const realm = report.tokenRealms[0].hosts[0] as string;
        assert.match(realm, /^127\.0\.0\.1:\d+$/);
        assert.notEqual(realm, reg.host);
        assert.ok(report.permissions.net.includes(realm));
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
  { variant: "token" },
);
