/**
 * The reference forms Helm and ORAS users type, through the real CLI (broad launch, scoped
 * worker) and the real registry: `oci://REGISTRY/NS/NAME:TAG`, `REGISTRY/NS/NAME:TAG`,
 * `NS/NAME`, `NAME:TAG`; each loads the bytes of the place it names, and the JSON result
 * carries the manifest digest and the canonical `registry/namespace/name@digest`.
 * The configured registry is `localhost:PORT` and the references name `127.0.0.1:PORT`, a
 * different host to Deno: the permission plan must grant the host the reference names.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest("ext load and info take oci:// and registry references", async (t, reg) => {
  const nsA = uniqueNamespace("ref-a");
  const nsB = uniqueNamespace("ref-b");
  using clientA = clientFor(reg, { settings: { namespace: nsA } });
  using clientB = clientFor(reg, { settings: { namespace: nsB } });
  const spec = { name: "refx", type: "provider", version: "2.0.0" } as const;
  const a = await publish(clientA, { ...spec, files: { "data.txt": "from A\n" } });
  const b = await publish(clientB, { ...spec, files: { "data.txt": "from B\n" } });
  const port = reg.host.split(":").at(-1)!;
  const configured = `localhost:${port}`;
  const home = await makeHome();
  try {
    const env = cliEnv(home, configured, nsA);
    const cli = (...args: string[]) => runCli(args, { home: home.home, env });
    const load = async (...args: string[]) => {
      const run = await cli("ext", "load", ...args, "--format", "json");
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout);
    };
    const text = (result: { path: string }) => Deno.readTextFile(join(result.path, "data.txt"));

    await t.step("oci://REGISTRY/NS/NAME:TAG loads from that registry and namespace", async () => {
      const result = await load(`oci://${reg.host}/${nsB}/refx:2.0.0`);
      assert.equal(result.source, "oci");
      assert.equal(result.digest, b.digest);
      assert.equal(result.reference, `${reg.host}/${nsB}/refx@${b.digest}`);
      assert.equal(await text(result), "from B\n");
    });

    await t.step("REGISTRY/NS/NAME:vTAG without the scheme", async () => {
      const result = await load(`${reg.host}/${nsA}/refx:v2.0.0`);
      assert.equal(result.digest, a.digest);
      assert.equal(await text(result), "from A\n");
    });

    await t.step("NAME:TAG and NS/NAME use the configured registry", async () => {
      const tagged = await load("refx:2.0.0");
      assert.equal(tagged.reference, `${configured}/${nsA}/refx@${a.digest}`);
      const other = await load(`${nsB}/refx`, "--version", "^2.0.0");
      assert.equal(other.reference, `${configured}/${nsB}/refx@${b.digest}`);
    });

    await t.step("ext info reads the place the reference names", async () => {
      const run = await cli(
        "ext",
        "info",
        `oci://${reg.host}/${nsB}/refx:2.0.0`,
        "--format",
        "json",
      );
      assert.equal(run.code, 0, run.stderr);
      const info = JSON.parse(run.stdout);
      assert.equal(info.digest, b.digest);
      assert.equal(info.version, "2.0.0");
    });

    await t.step("bad references are one line, exit 2", async () => {
      const cases: [string[], RegExp][] = [
        [["ext", "load", "refx:banana"], /^error: Tag "banana" of "refx:banana" is not a version/m],
        [
          ["ext", "load", "refx:2.0.0", "--version", "1.0.0"],
          /^error: "refx:2\.0\.0" names a tag "2\.0\.0" and --version says "1\.0\.0"/m,
        ],
        [
          ["ext", "load", `oci://${reg.host}/${nsB}/refx`, "--source", "local"],
          /^error: "oci:\/\/.*" names a registry; --source local cannot load it/m,
        ],
        [["ext", "load", "oci://"], /^error: Cannot parse reference/m],
        [["ext", "info", ""], /^error: Cannot parse reference "": it is empty/m],
      ];
      for (const [args, message] of cases) {
        const run = await cli(...args);
        assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
        assert.match(run.stderr, message);
        assert.equal(run.stderr.match(/error:/g)?.length, 1, run.stderr);
      }
    });

    await t.step("login and logout take oci://host", async () => {
      const login = await runCli(
        ["ext", "login", `oci://${reg.host}/${nsA}`, "--username", "u", "--password-stdin"],
        { home: home.home, env, stdin: "p" },
      );
      assert.equal(login.code, 0, login.stderr);
      assert.match(login.stdout, new RegExp(`Login succeeded for "${reg.host}"`));
      const logout = await cli("ext", "logout", `oci://${reg.host}`);
      assert.equal(logout.code, 0, logout.stderr);
      assert.match(logout.stdout, new RegExp(reg.host.replace(/\./g, "\\.")));
    });
  } finally {
    await home.cleanup();
  }
});
