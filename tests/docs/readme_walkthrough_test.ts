/**
 * The README's five-minute walk-through, run as written against a real registry: the
 * first fenced block under "Five-minute walk-through" is parsed line by line; the line that
 * starts a registry is the harness's job (it starts `docker-registry` per test), `export`
 * lines set the environment (with the registry address substituted), and every
 * `provisioning …` line runs through the real CLI and must exit 0.
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { registryTest } from "../harness/registry.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runCli, withTempHome } from "../cli/run_cli.ts";

const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));
const README = new URL("../../README.md", import.meta.url);
const README_REGISTRY = "localhost:5000";

/**
 * The commands of the walk-through's first fenced block, comments and blank lines dropped.
 *
 * @param readme The README text.
 * @returns One entry per command line.
 */
export function walkthroughLines(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Five-minute walk-through"));
  if (section === undefined) throw new Error('README.md has no "## Five-minute walk-through"');
  const block = /^```(?:sh|bash|shell)?\n([\s\S]*?)^```/m.exec(section);
  if (block === null) throw new Error("the walk-through has no fenced block");
  return block[1]!.split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

Deno.test("walkthroughLines() reads the block's commands, comments dropped", () => {
  const text =
    "## Five-minute walk-through\n\nText.\n\n```sh\n# start\nprovisioning env   # see\n\n" +
    "export A=b\n```\n\n## Next\n";
  assert.deepEqual(walkthroughLines(text), ["provisioning env", "export A=b"]);
});

registryTest("the README walk-through runs as written against a real registry", async (t, reg) => {
  const lines = walkthroughLines(await Deno.readTextFile(README));
  const commands = lines.filter((l) => l.startsWith("provisioning "));
  assert.ok(commands.length >= 6, `a walk-through of publish, search, load, cache: ${lines}`);
  for (const step of ["publish", "search", "load", "cache"]) {
    assert.ok(commands.some((c) => c.includes(` ${step} `) || c.endsWith(` ${step}`)), step);
  }
  await withTempHome("readme-walkthrough-", async (home) => {
    // A namespace of its own, so an external registry (PROVISIONING_TEST_REGISTRY) is shared safely.
    const env: Record<string, string> = {
      PROVISIONING_OCI_NAMESPACE: uniqueNamespace("readme-walk"),
    };
    for (const line of lines) {
      const substituted = line.replaceAll(README_REGISTRY, reg.host);
      if (/^(docker|podman|docker-registry|sudo)\b/.test(substituted)) continue; // the harness's
      const exported = /^export ([A-Z_]+)=(\S+)$/.exec(substituted);
      if (exported !== null) {
        if (exported[1] !== "PROVISIONING_OCI_NAMESPACE") env[exported[1]!] = exported[2]!;
        continue;
      }
      assert.match(substituted, /^provisioning /, `a line the test cannot run: ${line}`);
      assert.doesNotMatch(substituted, /["'`$|&;<>]/, `keep walk-through lines plain: ${line}`);
      await t.step(line, async () => {
        const args = substituted.split(/\s+/).slice(1);
        const run = await runCli(args, { home, cwd: CHECKOUT, env });
        assert.equal(run.code, 0, `${line}\n${run.stdout}\n${run.stderr}`);
      });
    }
  });
});
