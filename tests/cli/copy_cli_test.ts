/**
 * `ext copy` through the real CLI (broad launch, scoped worker — so the plan must grant the
 * destination): registry → OCI layout (with the signature tag), the layout loaded with the
 * registry stopped, layout → another real registry, and registry → registry, digests kept.
 * skopeo, an independent OCI client, reads the layout we wrote.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { bytesSource, clientFor, configSource, uniqueNamespace } from "../oci/_helpers.ts";
import { pushArtifact } from "../../src/oci/mod.ts";
import { runCli } from "./run_cli.ts";

registryTest("ext copy: registry to layout (air-gapped) to registry, digests kept", async (
  t,
  regA,
) => {
  const namespace = uniqueNamespace("copy");
  using clientA = clientFor(regA, { settings: { namespace } });
  await publish(clientA, { name: "airgap", type: "provider", version: "1.0.0", files: {} });
  const published = await publish(clientA, {
    name: "airgap",
    type: "provider",
    version: "1.1.0",
    files: { "main.k": "# airgap\n" },
  });
  // A signature in cosign's tag scheme rides along (its content does not matter here).
  await pushArtifact(clientA, `airgap:${published.digest.replace(":", "-")}.sig`, {
    config: configSource({}),
    layers: [bytesSource(new TextEncoder().encode("sig"))],
  });
  const regB = await startRegistry();
  const home = await makeHome();
  try {
    const layout = join(home.home, "airgap-layout");
    const env = cliEnv(home, regA.host, namespace);
    const cli = (...args: string[]) =>
      runCli([...args, "--format", "json"], { home: home.home, env, cwd: home.home });

    await t.step("registry → layout, signature tag included", async () => {
      const run = await cli("ext", "copy", "airgap", "oci-layout:airgap-layout");
      assert.equal(run.code, 0, run.stderr);
      const result = JSON.parse(run.stdout);
      assert.equal(result.digest, published.digest);
      assert.equal(result.tag, "1.1.0");
      assert.equal(result.signatures.length, 1);
      const index = JSON.parse(await Deno.readTextFile(join(layout, "index.json")));
      const names = index.manifests.map((m: { annotations: Record<string, string> }) =>
        m.annotations["org.opencontainers.image.ref.name"]
      ).sort();
      assert.deepEqual(names, ["airgap:1.1.0", `airgap:${published.digest.replace(":", "-")}.sig`]);
      const again = await cli("ext", "copy", "airgap", "oci-layout:airgap-layout");
      assert.equal(JSON.parse(again.stdout).skipped > 0, true, again.stdout);
    });

    await t.step("skopeo reads the layout we wrote", async () => {
      const out = await new Deno.Command("skopeo", {
        args: ["inspect", "--raw", `oci:${layout}:airgap:1.1.0`],
        stdout: "piped",
        stderr: "piped",
      }).output().catch(() => undefined);
      if (out === undefined) return; // skopeo is installed by .ci/run; absent only locally
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      assert.equal(JSON.parse(new TextDecoder().decode(out.stdout)).schemaVersion, 2);
    });

    await t.step("with the registry stopped, the layout loads", async () => {
      await regA.stop();
      await Deno.writeTextFile(
        join(home.home, ".provisioning", "config.toml"),
        `[oci]\nretry_count = 0\n[extensions]\nlayout_paths = ["${layout}"]\n`,
      );
      const run = await cli("ext", "load", "airgap", "--source", "oci-layout");
      assert.equal(run.code, 0, run.stderr);
      const loaded = JSON.parse(run.stdout);
      assert.equal(loaded.version, "1.1.0");
      assert.equal(loaded.digest, published.digest);
    });

    await t.step("the layout is listed, searched and shown by info", async () => {
      const list = await cli("ext", "list", "--source", "oci-layout");
      assert.equal(list.code, 0, list.stderr);
      const rows = JSON.parse(list.stdout).extensions ?? JSON.parse(list.stdout);
      const row = rows.find((r: { name: string }) => r.name === "airgap");
      assert.equal(row.source, "oci-layout");
      assert.equal(row.version, "1.1.0");
      assert.deepEqual(row.versions, ["1.1.0"]);
      assert.equal(row.digest, published.digest);
      const search = await cli("ext", "search", "airg");
      assert.equal(search.code, 0, search.stderr);
      assert.match(search.stdout, /"oci-layout"/);
      const info = await cli("ext", "info", "airgap", "--source", "oci-layout");
      assert.equal(info.code, 0, info.stderr);
      assert.equal(JSON.parse(info.stdout).digest, published.digest);
      const versions = await cli("ext", "versions", "airgap", "--source", "oci-layout");
      assert.equal(versions.code, 0, versions.stderr);
    });

    await t.step("layout → another registry, then registry → registry", async () => {
      const run = await cli(
        "ext",
        "copy",
        "airgap",
        "--from-oci-layout",
        "airgap-layout",
        `oci://${regB.host}/team`,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).digest, published.digest);
      const onward = await cli(
        "ext",
        "copy",
        `oci://${regB.host}/team/airgap:1.1.0`,
        `${regB.host}/other`,
      );
      assert.equal(onward.code, 0, onward.stderr);
      const loaded = await runCli(
        ["ext", "load", `oci://${regB.host}/other/airgap:1.1.0`, "--format", "json"],
        { home: home.home, env: { ...env, PROVISIONING_CACHE_DIR: join(home.home, "cache-b") } },
      );
      assert.equal(loaded.code, 0, loaded.stderr);
      assert.equal(JSON.parse(loaded.stdout).digest, published.digest);
    });

    await t.step("a bad destination is one line, exit 2", async () => {
      const run = await cli("ext", "copy", "airgap", "nowhere");
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /^error: "nowhere" is not a destination/m);
    });
  } finally {
    await regB.stop();
    await home.cleanup();
  }
});
