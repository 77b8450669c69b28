/**
 * The real entry point (`main.ts`) runs every command under its scoped permission set, in
 * both launches, against the real registry and a real git server:
 *
 * - a broad launch with the flags of `deno task ext` and the compiled binary
 *   (`BROAD_LAUNCH_FLAGS`): `main.ts` plans the set and runs the command in a Worker holding
 *   only that set;
 * - `deno run main.ts` in place with exactly the flags `ext permissions` prints.
 *
 * And Deno itself — inside the worker — refuses what lies outside the set when the real CLI
 * is steered there: a cache root moved outside the write grant after the set was planned, and
 * a registry that redirects a download to a host not in the configuration (and the same
 * download succeeds once `[oci] redirect_hosts` names that host). A token realm on
 * another port is reached only because the registry named it: a scoped launch not given it is
 * refused, and a broad launch learns it on first use and remembers it.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { CLI_LAUNCHES, type CliRun, forcedOciPullArgs, runCli } from "../cli/run_cli.ts";
import { createGitFixture, startGitDaemon } from "../harness/git_server.ts";
import { registryTest, startFaultServer, type TestRegistry } from "../harness/mod.ts";
import { publish } from "../loader/_fixture.ts";
import { clientFor } from "../oci/_helpers.ts";
import { BROAD_LAUNCH_FLAGS } from "./_launch.ts";

const ENTRY = fileURLToPath(new URL("./_entry.ts", import.meta.url));
const EXAMPLES = fileURLToPath(new URL("../../examples/extensions/taskservs/", import.meta.url));
const KUBERNETES_1_28 = `${EXAMPLES}kubernetes/1.28.0`;
const KUBERNETES_1_29 = `${EXAMPLES}kubernetes/1.29.1`;
const NAMESPACE = "provisioning-extensions";
const CREATED = "org.opencontainers.image.created";

/** The two ways users run the tool. */
const LAUNCHES = CLI_LAUNCHES;

type Launch = (typeof LAUNCHES)[number]["launch"];

function cli(
  launch: Launch,
  args: string[],
  home: string,
  env: Record<string, string>,
  stdin?: string,
): Promise<CliRun> {
  return runCli(args, { home, env, launch, ...(stdin === undefined ? {} : { stdin }) });
}

async function tempHome(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-cli-" }));
}

/** The manifest annotations of `name:tag` in the default namespace, read from the registry. */
async function annotationsOf(
  reg: TestRegistry,
  name: string,
  tag: string,
): Promise<Record<string, string>> {
  const response = await fetch(`${reg.url}/v2/${NAMESPACE}/${name}/manifests/${tag}`, {
    headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.annotations ?? {};
}

registryTest("every command works through main.ts under its scoped set", async (t, reg) => {
  const home = await tempHome();
  const env = { PROVISIONING_OCI_REGISTRY: reg.host };
  const cache = `${home}/.provisioning/cache`;
  try {
    await t.step("ext publish --dry-run in a scoped worker with no network grant", async () => {
      const run = await cli("broad", ["ext", "publish", KUBERNETES_1_28, "--dry-run"], home, env);
      assert.equal(run.code, 0, run.stderr);
    });
    for (
      const [{ launch, label }, dir, version] of [
        [LAUNCHES[0], KUBERNETES_1_28, "1.28.0"],
        [LAUNCHES[1], KUBERNETES_1_29, "1.29.1"],
      ] as const
    ) {
      await t.step(`ext publish, ${label}: SOURCE_DATE_EPOCH reaches the manifest`, async () => {
        const run = await cli(launch, ["ext", "publish", dir, "--format", "json"], home, {
          ...env,
          SOURCE_DATE_EPOCH: "1700000000",
        });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).version, version);
        const annotations = await annotationsOf(reg, "kubernetes", version);
        assert.equal(annotations[CREATED], "2023-11-14T22:13:20Z");
      });
    }
    for (const { launch, label } of LAUNCHES) {
      await t.step(`ext pull, ${label}: writes inside the cache root`, async () => {
        const run = await cli(
          launch,
          forcedOciPullArgs("kubernetes", "1.28.0"),
          home,
          env,
        );
        assert.equal(run.code, 0, run.stderr);
        const path = JSON.parse(run.stdout).path as string;
        assert.ok(path.startsWith(`${cache}/`), path);
      });
      await t.step(`ext load --source oci, ${label}`, async () => {
        const run = await cli(
          launch,
          ["ext", "load", "kubernetes", "--source", "oci", "--format", "json"],
          home,
          env,
        );
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).version, "1.29.1");
      });
      await t.step(`cache-hit ext load of an exact version, ${label}`, async () => {
        // The entry came from this registry, so only a configuration naming it may use it.
        const run = await cli(
          launch,
          ["ext", "load", "kubernetes", "--version", "1.28.0", "--source", "oci"],
          home,
          env,
        );
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^Loaded taskserv kubernetes 1\.28\.0 from oci: /);
      });
    }
    await t.step("an artifact that declares no type is peeked inside <cache>/tmp", async () => {
      // `oras push` style: empty config, no type annotation, so the layer is downloaded once
      // and unpacked in a temporary folder to read extension.yaml; the set's only write
      // grant is the cache root, so that folder must live there, not in the system's.
      using client = clientFor(reg, { settings: { namespace: NAMESPACE } });
      await publish(client, {
        name: "oras-ext",
        type: "cluster",
        version: "1.0.0",
        orasStyle: true,
      });
      for (const { launch, label } of LAUNCHES) {
        const run = await cli(
          launch,
          forcedOciPullArgs("oras-ext", "1.0.0"),
          home,
          env,
        );
        assert.equal(run.code, 0, `${label}: ${run.stderr}`);
        assert.equal(JSON.parse(run.stdout).type, "cluster");
        assert.deepEqual([...Deno.readDirSync(`${cache}/tmp`)], []);
      }
    });
    // Every other command: each in a worker holding only its own set, and in place with
    // exactly the flags `ext permissions` printed for it.
    const table: { args: string[]; stdin?: string; match?: RegExp }[] = [
      { args: ["env", "--format", "json"], match: /oci\.registry/ },
      { args: ["ext", "list", "--source", "oci", "--format", "json"], match: /kubernetes/ },
      { args: ["ext", "info", "kubernetes", "--source", "oci", "--format", "json"] },
      { args: ["ext", "versions", "kubernetes", "--source", "oci"], match: /1\.28\.0/ },
      { args: ["ext", "search", "kube", "--source", "oci"], match: /kubernetes/ },
      { args: ["ext", "discover", "--source", "oci", "--format", "json"], match: /kubernetes/ },
      { args: ["ext", "load", "kubernetes", "--source", "examples", "--format", "json"] },
      { args: ["ext", "load", "kubernetes", "--offline", "--format", "json"] },
      { args: ["ext", "test-oci", "--format", "json"] },
      {
        args: ["ext", "login", reg.host, "--username", "u", "--password-stdin"],
        stdin: "p\n",
      },
      { args: ["ext", "logout", reg.host], match: /Removed/ },
      { args: ["ext", "cache", "list", "--format", "json"], match: /kubernetes/ },
      { args: ["ext", "cache", "stats", "--format", "json"] },
      { args: ["ext", "cache", "prune", "--days", "0", "--dry-run"] },
      { args: ["ext", "permissions"], match: /Run it with exactly these permissions/ },
    ];
    for (const { launch, label } of LAUNCHES) {
      for (const { args, stdin, match } of table) {
        await t.step(`${args.slice(0, 3).join(" ")}, ${label}`, async () => {
          const run = await cli(launch, args, home, env, stdin);
          assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
          if (match !== undefined) assert.match(run.stdout, match);
        });
      }
    }
    await t.step("ext delete, in place with the printed flags", async () => {
      const run = await cli(
        "scoped",
        ["ext", "delete", "kubernetes", "1.29.1", "--force"],
        home,
        env,
      );
      assert.equal(run.code, 0, run.stderr);
    });
    await t.step("ext delete, broad launch, scoped worker", async () => {
      const run = await cli(
        "broad",
        ["ext", "delete", "kubernetes", "1.28.0", "--force"],
        home,
        env,
      );
      assert.equal(run.code, 0, run.stderr);
    });
    await t.step("ext cache clear, broad launch, scoped worker", async () => {
      const run = await cli("broad", ["ext", "cache", "clear", "--all", "--force"], home, env);
      assert.equal(run.code, 0, run.stderr);
    });
    assert.deepEqual([...Deno.readDirSync(home)].map((entry) => entry.name).sort(), [
      ".provisioning",
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("the git source works through main.ts under its scoped set (git daemon)", async (t) => {
  const fixture = await createGitFixture();
  const daemon = await startGitDaemon(fixture.baseDir);
  const home = await tempHome();
  try {
    await Deno.mkdir(`${home}/.provisioning`);
    await Deno.writeTextFile(
      `${home}/.provisioning/config.toml`,
      `[git]\nremotes = ["${daemon.url}/${fixture.owner}/demo.git"]\n`,
    );
    for (const { launch, label } of LAUNCHES) {
      await t.step(`ext load --source git, ${label}`, async () => {
        const run = await cli(
          launch,
          [
            "ext",
            "load",
            "demo",
            "--source",
            "git",
            "--version",
            "1.1.0",
            "--format",
            "json",
          ],
          home,
          { PROVISIONING_CACHE_DIR: `${home}/cache-${launch}` },
        );
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.source, "git");
        assert.ok(result.path.startsWith(`${home}/cache-${launch}/`), result.path);
      });
      await t.step(`ext list --source git --refresh, ${label}`, async () => {
        const run = await cli(
          launch,
          ["ext", "list", "--source", "git", "--refresh", "--format", "json"],
          home,
          { PROVISIONING_CACHE_DIR: `${home}/cache-${launch}` },
        );
        assert.equal(run.code, 0, run.stderr);
        assert.ok(JSON.parse(run.stdout).some((row: { name: string }) => row.name === "demo"));
      });
    }
  } finally {
    await daemon.stop();
    await fixture.cleanup();
    await Deno.remove(home, { recursive: true });
  }
});

/**
 * A forwarding proxy in front of the real registry. It injects what the real registry will
 * not do: `redirectBlobsTo` answers blob downloads with a redirect to another host, as
 * registries behind a CDN do.
 */
async function startProxy(reg: TestRegistry, options: { redirectBlobsTo?: string }) {
  return await startFaultServer(async (request, { url }) => {
    if (options.redirectBlobsTo !== undefined && url.pathname.includes("/blobs/")) {
      await request.body?.cancel();
      return new Response(null, {
        status: 307,
        headers: { location: `${options.redirectBlobsTo}${url.pathname}` },
      });
    }
    const headers = new Headers(request.headers);
    headers.delete("host");
    const response = await fetch(`${reg.url}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      redirect: "manual",
    });
    return new Response(request.method === "HEAD" ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  });
}

registryTest(
  "Deno refuses, around the real main.ts, what the set does not hold",
  async (t, reg) => {
    const home = await tempHome();
    try {
      const published = await cli("broad", ["ext", "publish", KUBERNETES_1_28], home, {
        PROVISIONING_OCI_REGISTRY: reg.host,
      });
      assert.equal(published.code, 0, published.stderr);
      const config = `${home}/.provisioning/config.toml`;
      const readable = `${home}/readable`;
      await Deno.mkdir(readable);
      const pull = ["ext", "pull", "kubernetes", "--version", "1.28.0", "--force"];

      await t.step(
        "a write outside the cache root: the config moved it after planning",
        async () => {
          // A scoped launch holds the flags planned for the config of the time; the config
          // then moves the cache root outside the write grant (but inside the read grant: an
          // extension path), and the command follows it until Deno refuses the write.
          await Deno.writeTextFile(
            config,
            `[oci]\nregistry = "${reg.host}"\n[extensions]\npaths = ["${readable}"]\n`,
          );
          const printed = await cli(
            "broad",
            ["ext", "permissions", "--format", "json", "--", ...pull],
            home,
            {},
          );
          assert.equal(printed.code, 0, printed.stderr);
          await Deno.writeTextFile(
            config,
            `[oci]\nregistry = "${reg.host}"\n[extensions]\npaths = ["${readable}"]\n` +
              `[cache]\ndir = "${readable}/cache"\n`,
          );
          const run = await runCli(pull, {
            home,
            env: {},
            permissions: JSON.parse(printed.stdout).flags,
          });
          assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
          assert.match(
            run.stderr,
            new RegExp(`^error: Deno refused write access to "${readable}/cache[^"]*": `, "m"),
          );
          assert.deepEqual([...Deno.readDirSync(readable)], []);
        },
      );

      await t.step("a connection to a host not in the configuration", async () => {
        // The redirect target only counts connections; Deno must refuse before connecting.
        let connections = 0;
        const elsewhere = Deno.listen({ hostname: "127.0.0.1", port: 0 });
        const accepting = (async () => {
          for await (const conn of elsewhere) {
            connections++;
            conn.close();
          }
        })();
        const target = `127.0.0.1:${elsewhere.addr.port}`;
        const proxy = await startProxy(reg, { redirectBlobsTo: `http://${target}` });
        try {
          await Deno.writeTextFile(config, `[oci]\nregistry = "${proxy.host}"\nretry_count = 0\n`);
          const run = await cli("broad", [...pull, "--source", "oci"], home, {});
          assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
          assert.match(
            run.stderr,
            new RegExp(`^error: Cannot connect to "${target}": network access is not permitted`),
          );
          assert.equal(connections, 0);
        } finally {
          await proxy.close();
          elsewhere.close();
          await accepting.catch(() => {});
        }
      });

      await t.step("the same redirect, once [oci] redirect_hosts names its target", async () => {
        // A second forwarding proxy plays the CDN: it serves the blobs from the real registry.
        const cdn = await startProxy(reg, {});
        const proxy = await startProxy(reg, { redirectBlobsTo: cdn.url });
        try {
          await Deno.writeTextFile(
            config,
            `[oci]\nregistry = "${proxy.host}"\nretry_count = 0\nredirect_hosts = ["${cdn.host}"]\n`,
          );
          const run = await cli("broad", [...pull, "--source", "oci"], home, {});
          assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
          const redirected = proxy.requests.filter((r) => r.path.includes("/blobs/"));
          const served = cdn.requests.filter((r) => r.path.includes("/blobs/"));
          assert.ok(redirected.length > 0, "the registry redirected the blob downloads");
          assert.deepEqual(
            served.map((r) => `${r.method} ${r.path}`),
            redirected.map((r) => `${r.method} ${r.path}`),
          );
          assert.ok(served.every((r) => !r.headers.has("authorization")));
        } finally {
          await proxy.close();
          await cdn.close();
        }
      });
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
);

/** The permission tests' entry under a broad launch. */
async function runEntry(args: string[], home: string, own: string[]): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...BROAD_LAUNCH_FLAGS, ENTRY, ...own, "--", ...args],
    cwd: home,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      HOME: home,
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const output = await child.output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
  };
}

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
      await t.step("a scoped launch that was not given the realm: Deno refuses it", async () => {
        const printed = await cli(
          "broad",
          ["ext", "permissions", "test-oci", "--no-probe", "--format", "json"],
          home,
          {},
        );
        assert.equal(printed.code, 0, printed.stderr);
        const before = reg.tokenRequests!();
        const flags = JSON.parse(printed.stdout).flags as string[];
        const run = await runCli(["ext", "test-oci"], { home, env: {}, permissions: flags });
        assert.notEqual(run.code, 0);
        assert.equal(reg.tokenRequests!(), before);
      });
      await t.step("a broad launch learns the realm on first use and remembers it", async () => {
        const run = await runEntry(["ext", "test-oci", "--format", "json"], home, []);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).auth, "bearer");
        const realms = JSON.parse(
          await Deno.readTextFile(`${home}/.provisioning/token-realms.json`),
        );
        assert.match(JSON.stringify(realms.registries), /127\.0\.0\.1:\d+/);
      });
      for (const { launch, label } of LAUNCHES) {
        await t.step(`with the realm remembered, test-oci passes (${label})`, async () => {
          const run = await cli(launch, ["ext", "test-oci", "--format", "json"], home, {});
          assert.equal(run.code, 0, run.stderr);
          assert.equal(JSON.parse(run.stdout).auth, "bearer");
        });
      }
      await t.step("ext permissions names the realm host", async () => {
        const run = await cli(
          "broad",
          ["ext", "permissions", "test-oci", "--format", "json"],
          home,
          {},
        );
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
