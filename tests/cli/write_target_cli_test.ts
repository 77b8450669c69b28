/**
 * Where `ext publish` and `ext delete` write when `[[oci.registries]]` lists several
 * registries, through the real CLI with two real registries (one plain, one HTTPS whose CA is
 * its own `ca_file`): `[oci] registry` by default, and `--registry NAME` (a listed registry's
 * `name`, as Helm and ORAS users name a configured registry) or `--registry HOST` picks
 * another, which brings its own namespace and CA — in the default launch, whose
 * least-privilege plan is made from the same configuration.
 */

import assert from "node:assert/strict";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { makeHome, writeExtension } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

const STACK_LINE = /^\s+at /m;

registryTest("publish and delete: [oci] registry by default, --registry NAME or HOST picks", async (
  t,
  plain,
) => {
  const secure = await startRegistry({ variant: "tls" });
  const plainNs = uniqueNamespace("write-plain");
  const secureNs = uniqueNamespace("write-secure");
  const home = await makeHome(
    [
      "[oci]",
      "retry_count = 0",
      "timeout = 10",
      `registry = "${plain.host}"`,
      `namespace = "${plainNs}"`,
      "",
      "[[oci.registries]]",
      'name = "plain"',
      `registry = "${plain.host}"`,
      "",
      "[[oci.registries]]",
      'name = "secure"',
      `registry = "${secure.host}"`,
      `namespace = "${secureNs}"`,
      `ca_file = "${secure.caFile}"`,
      "",
    ].join("\n"),
  );
  try {
    const dir = await writeExtension(home.home, "src/app", "app", "taskserv", "1.0.0");
    const cli = async (args: string[]) => {
      const run = await runCli(args, {
        home: home.home,
        env: { PROVISIONING_CACHE_DIR: home.cacheDir },
      });
      assert.doesNotMatch(run.stderr, STACK_LINE, run.stderr);
      return run;
    };
    const published = async (args: string[]) => {
      const run = await cli(["ext", "publish", dir, "--format", "json", ...args]);
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout) as { reference: string; digest: string };
    };

    await t.step("without --registry: [oci] registry and namespace", async () => {
      const result = await published([]);
      assert.match(result.reference, new RegExp(`^${plain.host}/${plainNs}/app:1\\.0\\.0$`));
    });

    await t.step("--registry NAME: that registry, with its namespace and its CA", async () => {
      const result = await published(["--registry", "secure", "--version", "1.1.0"]);
      assert.equal(result.reference, `${secure.host}/${secureNs}/app:1.1.0`);
      const versions = await cli([
        "ext",
        "versions",
        "app",
        "--source",
        "oci",
        "--registry",
        "secure",
        "--format",
        "json",
      ]);
      assert.equal(versions.code, 0, versions.stderr);
      assert.match(versions.stdout, /1\.1\.0/);
      assert.doesNotMatch(versions.stdout, /"1\.0\.0"/);
    });

    await t.step("--registry HOST of a listed registry: the same", async () => {
      const result = await published(["--registry", secure.host, "--version", "1.2.0"]);
      assert.equal(result.reference, `${secure.host}/${secureNs}/app:1.2.0`);
    });

    await t.step("--namespace still wins over the registry's", async () => {
      const other = uniqueNamespace("write-other");
      const result = await published(["--registry", "secure", "--namespace", other]);
      assert.equal(result.reference, `${secure.host}/${other}/app:1.0.0`);
    });

    await t.step("delete --registry NAME deletes there only", async () => {
      const run = await cli([
        "--registry",
        "secure",
        "ext",
        "delete",
        "app",
        "1.1.0",
        "--force",
        "--format",
        "json",
      ]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).reference, `${secure.host}/${secureNs}/app:1.1.0`);
      const missing = await cli([
        "ext",
        "delete",
        "app",
        "1.1.0",
        "--force",
        "--registry",
        "secure",
      ]);
      assert.equal(missing.code, 3, missing.stderr);
      // The plain registry's copy of 1.0.0 was never touched.
      const kept = await cli(["ext", "delete", "app", "1.0.0", "--force", "--format", "json"]);
      assert.equal(kept.code, 0, kept.stderr);
      assert.equal(JSON.parse(kept.stdout).reference, `${plain.host}/${plainNs}/app:1.0.0`);
    });

    await t.step("a destination as helm push takes it: oci://REGISTRY/NAMESPACE", async () => {
      const other = uniqueNamespace("write-dest");
      const tls = await published([`oci://${secure.host}/${other}`, "--version", "4.0.0"]);
      assert.equal(tls.reference, `${secure.host}/${other}/app:4.0.0`);
      // A listed registry's name; its own namespace when none is named.
      const named = await published(["oci://secure", "--version", "4.1.0"]);
      assert.equal(named.reference, `${secure.host}/${secureNs}/app:4.1.0`);
      // A host no table lists is granted in the default launch too (localhost is the plain one).
      const port = plain.host.split(":")[1];
      const unlisted = await published([`localhost:${port}/${other}`, "--version", "4.2.0"]);
      assert.equal(unlisted.reference, `localhost:${port}/${other}/app:4.2.0`);
    });

    await t.step("a destination with a tag, or beside --registry, is one usage line", async () => {
      for (
        const args of [
          [`${secure.host}/${secureNs}/app:1.0.0`],
          [`oci://${secure.host}/x`, "--registry", "plain"],
        ]
      ) {
        const run = await cli(["ext", "publish", dir, ...args]);
        assert.equal(run.code, 2, run.stderr);
        assert.match(
          run.stderr,
          /^error: "[^"]+" (is not a publish destination|names the registry)/m,
        );
      }
    });

    await t.step("delete takes a whole repository: [oci://]REGISTRY/NAMESPACE/NAME", async () => {
      const byName = await cli(
        ["ext", "delete", `oci://secure/${secureNs}/app`, "4.1.0", "--force", "--format", "json"],
      );
      assert.equal(byName.code, 0, byName.stderr);
      assert.equal(JSON.parse(byName.stdout).reference, `${secure.host}/${secureNs}/app:4.1.0`);
      const byHost = await cli(
        ["ext", "delete", `${secure.host}/${secureNs}/app:1.2.0`, "1.2.0", "--force"],
      );
      assert.equal(byHost.code, 0, byHost.stderr);
      const clash = await cli([
        "ext",
        "delete",
        `${secure.host}/${secureNs}/app:9.9.9`,
        "1.0.0",
        "--force",
      ]);
      assert.equal(clash.code, 2, clash.stderr);
    });

    await t.step(
      "[oci] registry naming a listed registry writes with that one's settings",
      async () => {
        const other = await makeHome(
          [
            "[oci]",
            "retry_count = 0",
            `registry = "${secure.host}"`,
            "[[oci.registries]]",
            'name = "secure"',
            `registry = "${secure.host}"`,
            `namespace = "${secureNs}"`,
            `ca_file = "${secure.caFile}"`,
            "",
          ].join("\n"),
        );
        try {
          const run = await runCli([
            "ext",
            "publish",
            dir,
            "--version",
            "3.0.0",
            "--format",
            "json",
          ], {
            home: other.home,
            env: { PROVISIONING_CACHE_DIR: other.cacheDir },
          });
          assert.equal(run.code, 0, run.stderr);
          assert.equal(JSON.parse(run.stdout).reference, `${secure.host}/${secureNs}/app:3.0.0`);
        } finally {
          await other.cleanup();
        }
      },
    );

    await t.step("env shows what --registry NAME picked, and from where", async () => {
      const run = await cli(["--registry", "secure", "env", "--format", "json"]);
      assert.equal(run.code, 0, run.stderr);
      const settings = JSON.parse(run.stdout).settings as {
        key: string;
        value: unknown;
        origin: string;
      }[];
      const of = (key: string) => settings.find((entry) => entry.key === key);
      assert.equal(of("oci.registry")?.value, secure.host);
      assert.equal(of("oci.registry")?.origin, "flag (--registry)");
      assert.equal(of("oci.ca_file")?.value, secure.caFile);
      assert.match(of("oci.ca_file")?.origin ?? "", /^user \(/);
    });
  } finally {
    await home.cleanup();
    await secure.stop();
  }
});
