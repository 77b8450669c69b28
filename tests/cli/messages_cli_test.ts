/**
 * One message, printed once, through the real CLI: a misspelt manifest key is a warning
 * with a did-you-mean (on load, info, list and publish, once per manifest), a missing
 * `PROVISIONING_EXTENSIONS_PATH` folder is a warning, a one-problem manifest error is one
 * line, and an unreachable registry is one error — not a warning and then the same error.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runCli, withTempHome } from "./run_cli.ts";

const TYPO_MANIFEST = `extension:
  name: typo
  version: 1.0.0
  type: taskserv
  descripton: misspelt
metdata:
  license: MIT
`;

function count(text: string, needle: string | RegExp): number {
  return needle instanceof RegExp
    ? [...text.matchAll(new RegExp(needle.source, needle.flags.replace("g", "") + "g"))].length
    : text.split(needle).length - 1;
}

async function writeTypo(root: string): Promise<string> {
  const dir = join(root, "typo");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "extension.yaml"), TYPO_MANIFEST);
  return dir;
}

const DID_YOU_MEAN_DESCRIPTION =
  /^warning: .*extension\.yaml: extension\.descripton: unknown key, ignored; did you mean "extension\.description"\?$/m;
const DID_YOU_MEAN_METADATA =
  /^warning: .*extension\.yaml: metdata: unknown top-level key, ignored; did you mean "metadata"\?$/m;

Deno.test("a misspelt manifest key warns once with a did-you-mean on load, info, list, publish", async (t) => {
  await withTempHome("messages-cli-", async (home) => {
    const dir = await writeTypo(join(home, "exts"));
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    const cases = [
      ["ext", "load", "typo", "--source", "local"],
      ["ext", "info", "typo", "--source", "local"],
      ["ext", "list", "--source", "local"],
      ["ext", "publish", dir, "--dry-run"],
    ];
    for (const args of cases) {
      await t.step(args.slice(0, 2).join(" "), async () => {
        const run = await runCli(args, { home, env });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(count(run.stderr, DID_YOU_MEAN_DESCRIPTION), 1, run.stderr);
        assert.equal(count(run.stderr, DID_YOU_MEAN_METADATA), 1, run.stderr);
        assert.equal(count(run.stderr, /^warning:/m), 2, run.stderr);
      });
    }
  });
});

Deno.test("a PROVISIONING_EXTENSIONS_PATH folder that does not exist is one warning", async () => {
  await withTempHome("messages-cli-", async (home) => {
    await writeTypo(join(home, "exts"));
    const missing = join(home, "no-such-folder");
    const env = { PROVISIONING_EXTENSIONS_PATH: `${missing}:${join(home, "exts")}` };
    for (const args of [["ext", "list", "--source", "local"], ["ext", "load", "typo"]]) {
      const run = await runCli(args, { home, env });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(
        count(run.stderr, `extensions folder "${missing}" does not exist`),
        1,
        run.stderr,
      );
    }
  });
});

Deno.test("a manifest with one problem is reported in one line", async () => {
  await withTempHome("messages-cli-", async (home) => {
    const dir = join(home, "exts", "bad");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(
      join(dir, "extension.yaml"),
      "extension:\n  name: bad\n  version: nope\n  type: taskserv\n",
    );
    const env = { PROVISIONING_EXTENSIONS_PATH: join(home, "exts") };
    for (const args of [["ext", "load", "bad", "--source", "local"], ["ext", "publish", dir]]) {
      const run = await runCli(args, { home, env });
      assert.equal(run.code, 2, run.stderr);
      assert.equal(count(run.stderr, '"nope" is not a semantic version'), 1, run.stderr);
      assert.match(run.stderr, /^error: .*"nope" is not a semantic version/m);
    }
  });
});

Deno.test("an unreachable registry is one error, not a warning and then the same error", async (t) => {
  await withTempHome("messages-cli-", async (home) => {
    const env = { PROVISIONING_OCI_REGISTRY: "127.0.0.1:1" };
    const cases = [
      ["ext", "list", "--source", "oci"],
      ["ext", "info", "nothere", "--source", "oci"],
      ["ext", "versions", "nothere", "--source", "oci"],
      ["ext", "load", "nothere", "--source", "oci"],
    ];
    for (const args of cases) {
      await t.step(args.slice(0, 2).join(" "), async () => {
        const run = await runCli(args, { home, env });
        assert.equal(run.code, 4, run.stderr);
        assert.equal(count(run.stderr, "127.0.0.1:1"), 1, run.stderr);
        assert.doesNotMatch(run.stderr, /^warning:/m);
      });
    }
    await t.step("with another source answering, the failure is one warning", async () => {
      const run = await runCli(["ext", "list"], { home, env });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(count(run.stderr, /^warning: source "oci".*127\.0\.0\.1:1/m), 1, run.stderr);
      assert.doesNotMatch(run.stderr, /^error:/m);
    });
  });
});

registryTest(
  "a misspelt key warns when the artifact is fetched, not on each cache hit",
  async (_t, reg) => {
    const namespace = uniqueNamespace("cli-typo");
    const home = await makeHome();
    try {
      const dir = await writeTypo(join(home.home, "src"));
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env });
      const published = await cli("ext", "publish", dir);
      assert.equal(published.code, 0, published.stderr);
      assert.equal(count(published.stderr, DID_YOU_MEAN_DESCRIPTION), 1, published.stderr);
      const first = await cli("ext", "load", "typo", "--source", "oci", "--version", "1.0.0");
      assert.equal(first.code, 0, first.stderr);
      assert.equal(count(first.stderr, DID_YOU_MEAN_DESCRIPTION), 1, first.stderr);
      assert.match(first.stderr, /Artifact ".*typo.*": extension\.yaml: extension\.descripton/);
      const hit = await cli("ext", "load", "typo", "--source", "oci", "--version", "1.0.0");
      assert.equal(hit.code, 0, hit.stderr);
      assert.doesNotMatch(hit.stderr, /descripton/);
    } finally {
      await home.cleanup();
    }
  },
);
