// publishExtension() and deleteExtension() against the real registry (harness, plain
// variant): round trip through the OCI client, reproducibility, overwrite protection, type
// clash, dry run and bad directories touching nothing, build-metadata tags, delete.

import assert from "node:assert/strict";
import { isProvisioningError } from "../../src/errors.ts";
import {
  ANNOTATION_EXTENSION_TYPE,
  artifactExists,
  createRegistryClient,
  getArtifactTags,
  pullArtifact,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import {
  deleteExtension,
  publishExtension,
  type PublishProgress,
  type PublishResult,
} from "../../src/publish/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { SAMPLE_TREE } from "./_fixture.ts";
import {
  assertSameTree,
  ociSettingsFor,
  publishOptionsFor,
  requestsDuring,
  smallTree,
  untar,
  withTempDir,
  withTree,
  writes,
} from "./_publish_helpers.ts";

/** A client on the same registry and namespace as `options`. */
function clientOf(options: ReturnType<typeof publishOptionsFor>): RegistryClient {
  return createRegistryClient(options.config.settings.oci, options.clientOptions);
}

/** Expects a ProvisioningError with `code`; returns it for further checks. */
async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
): Promise<{ message: string; hint: string | undefined; exitCode: number }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isProvisioningError(error), `expected a ProvisioningError, got ${error}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

registryTest(
  "publishExtension() round trip: what pullArtifact() reads back unpacks to the original tree",
  async (_t, reg) => {
    const options = publishOptionsFor(reg);
    await withTree(SAMPLE_TREE, async (dir) => {
      const progress: PublishProgress[] = [];
      const published = await publishExtension(dir, {
        ...options,
        onProgress: (p) => progress.push(p),
      });
      const namespace = options.config.settings.oci.namespace;
      assert.equal(published.reference, `${reg.host}/${namespace}/demo-ext:1.2.3`);
      assert.equal(published.repository, `${namespace}/demo-ext`);
      assert.equal(published.type, "taskserv");
      assert.equal(published.dryRun, false);
      assert.equal(published.replaced, null);
      assert.equal(published.layer.outcome, "uploaded");
      assert.equal(published.config.outcome, "uploaded");
      assert.ok(published.files.some((f) => f.path === "scripts/install.sh" && f.type === "file"));
      assert.deepEqual(
        new Set(progress.map((p) => p.blob)),
        new Set(["package", "config", "layer"]),
      );
      const last = progress.filter((p) => p.blob === "layer").at(-1);
      assert.equal(last?.transferred, published.layer.size);

      using client = clientOf(options);
      const pulled = await pullArtifact(client, "demo-ext:1.2.3");
      assert.equal(pulled.digest, published.digest);
      assert.equal(pulled.manifestBytes.byteLength, published.size);
      assert.equal(pulled.manifest.annotations?.[ANNOTATION_EXTENSION_TYPE], "taskserv");
      assert.deepEqual(pulled.config.value, {
        extension: {
          name: "demo-ext",
          version: "1.2.3",
          type: "taskserv",
          description: "A demo extension",
          author: "Test Author",
        },
        metadata: { license: "MIT" },
      });
      assert.equal(pulled.layers.length, 1);
      await withTempDir(async (out) => {
        const file = await Deno.create(`${out}/layer.tar.gz`);
        await (await pulled.layers[0]!.open()).pipeTo(file.writable); // digest checked as it flows
        await Deno.mkdir(`${out}/tree`);
        await untar(`${out}/layer.tar.gz`, `${out}/tree`);
        await assertSameTree(`${out}/tree/demo-ext`, dir);
      });
    });
  },
);

registryTest(
  "publishExtension() gives the same digest twice, also after the mtimes on disk change",
  async (_t, reg) => {
    const options = publishOptionsFor(reg);
    await withTree(smallTree("repro", "1.0.0"), async (dir) => {
      const first = await publishExtension(dir, options);
      const dryRun = await publishExtension(dir, { ...options, dryRun: true });
      assert.equal(dryRun.digest, first.digest, "a dry run computes the digest it would push");
      for (const path of ["extension.yaml", "kcl/main.k", "kcl", "."]) {
        await Deno.utime(`${dir}/${path}`, 1234567890, 1234567890);
      }
      const second = await publishExtension(dir, { ...options, force: true });
      assert.equal(second.digest, first.digest);
      assert.equal(second.layer.digest, first.layer.digest);
      assert.equal(second.replaced, null, "the tag already pointed at these bytes");
      assert.equal(second.layer.outcome, "exists", "the registry already had the layer");
    });
  },
);

registryTest(
  "publishExtension() refuses a published version without force and overwrites it with force",
  async (t, reg) => {
    const options = publishOptionsFor(reg);
    using client = clientOf(options);
    await withTree(smallTree("forced", "2.0.0"), async (dir) => {
      const first = await publishExtension(dir, options);
      await Deno.writeTextFile(`${dir}/docs/README.md`, "# changed\n");

      await t.step(
        "without force: ALREADY_EXISTS (exit 2) naming --force, nothing written",
        async () => {
          const requests = await requestsDuring(reg, async () => {
            const error = await rejectsWith(publishExtension(dir, options), "ALREADY_EXISTS");
            assert.equal(error.exitCode, 2);
            assert.match(error.message, /^Version "2\.0\.0" of ".*\/forced" is already published$/);
            assert.match(error.hint ?? "", /--force/);
          });
          assert.deepEqual(writes(requests), []);
          assert.equal((await pullArtifact(client, "forced:2.0.0")).digest, first.digest);
        },
      );

      await t.step("with force: the tag moves, the old digest is reported", async () => {
        const second = await publishExtension(dir, { ...options, force: true });
        assert.notEqual(second.digest, first.digest);
        assert.equal(second.replaced, first.digest);
        assert.equal((await pullArtifact(client, "forced:2.0.0")).digest, second.digest);
        assert.equal(second.config.outcome, "exists", "same manifest, same config blob");
      });
    });
  },
  { localOnly: true },
);

registryTest(
  "publishExtension() refuses another type in a repository, before any upload",
  async (_t, reg) => {
    const options = publishOptionsFor(reg);
    await withTree(smallTree("clash", "1.0.0", "provider"), async (dir) => {
      await publishExtension(dir, options);
      await Deno.writeTextFile(
        `${dir}/extension.yaml`,
        "extension:\n  name: clash\n  version: 1.1.0\n  type: cluster\n",
      );
      const requests = await requestsDuring(reg, async () => {
        const error = await rejectsWith(publishExtension(dir, options), "TYPE_MISMATCH");
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          /^Cannot publish cluster "clash" to ".*\/clash": it holds a provider \(version "1\.0\.0"\)$/,
        );
      });
      assert.deepEqual(writes(requests), []);
      assert.ok(requests.length > 0, "the tags and the highest version were read");

      // The same type publishes fine next to it.
      await Deno.writeTextFile(
        `${dir}/extension.yaml`,
        "extension:\n  name: clash\n  version: 1.1.0\n  type: provider\n",
      );
      const ok = await publishExtension(dir, options);
      assert.equal(ok.version, "1.1.0");
    });
  },
  { localOnly: true },
);

registryTest(
  "publishExtension() dry run and bad directories send no request at all",
  async (t, reg) => {
    const options = publishOptionsFor(reg);
    const cases: { name: string; tree: Parameters<typeof withTree>[0]; code: string | null }[] = [
      { name: "dry run of a valid directory", tree: smallTree("dry", "1.0.0"), code: null },
      {
        name: "missing extension.yaml",
        tree: { "kcl/main.k": "x = 1\n" },
        code: "INVALID_EXTENSION",
      },
      {
        name: "invalid fields",
        tree: {
          "extension.yaml": "extension:\n  name: Bad Name\n  version: 1.2\n  type: widget\n",
        },
        code: "INVALID_MANIFEST",
      },
      {
        name: "symlink escaping the extension",
        tree: {
          ...smallTree("escape", "1.0.0"),
          "docs/passwd": { symlink: "../../../etc/passwd" },
        },
        code: "INVALID_EXTENSION",
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        await withTree(c.tree, async (dir) => {
          const requests = await requestsDuring(reg, async () => {
            const run = publishExtension(dir, { ...options, dryRun: c.code === null });
            if (c.code === null) assert.equal((await run).dryRun, true);
            else await rejectsWith(run, c.code);
          });
          assert.deepEqual(requests, []);
        });
      });
    }
    await t.step("dry run does not even need a reachable registry", async () => {
      await withTree(smallTree("offline", "1.0.0"), async (dir) => {
        const oci = { ...ociSettingsFor(reg), registry: "127.0.0.1:9" };
        const result = await publishExtension(dir, { config: { settings: { oci } }, dryRun: true });
        assert.match(result.reference, /^127\.0\.0\.1:9\/.*\/offline:1\.0\.0$/);
      });
    });
  },
  { localOnly: true },
);

registryTest(
  "publishExtension() writes +build versions as _ tags and a --version override into the config",
  async (_t, reg) => {
    const options = publishOptionsFor(reg);
    using client = clientOf(options);
    await withTree(smallTree("build-meta", "1.0.0"), async (dir) => {
      const notices: string[] = [];
      const result: PublishResult = await publishExtension(dir, {
        ...options,
        version: "1.0.0+build.5",
        onNotice: (line) => notices.push(line),
      });
      assert.equal(result.tag, "1.0.0_build.5");
      assert.equal(result.version, "1.0.0+build.5");
      assert.match(notices.join("\n"), /"1\.0\.0\+build\.5".*"1\.0\.0"/);
      assert.deepEqual(await getArtifactTags(client, "build-meta"), ["1.0.0_build.5"]);
      const pulled = await pullArtifact(client, "build-meta:1.0.0_build.5");
      assert.equal(
        (pulled.config.value as { extension: { version: string } }).extension.version,
        "1.0.0+build.5",
      );
      // The +build version is its own version: the plain one is not "already published".
      const plain = await publishExtension(dir, options);
      assert.equal(plain.tag, "1.0.0");
    });
  },
);

registryTest(
  "deleteExtension() removes a version by digest and reports what is missing",
  async (t, reg) => {
    const options = publishOptionsFor(reg);
    using client = clientOf(options);
    await withTree(smallTree("gone", "3.0.0"), async (dir) => {
      const published = await publishExtension(dir, options);
      await publishExtension(dir, { ...options, version: "3.1.0" });

      await t.step("a declined confirmation deletes nothing", async () => {
        const asked: string[] = [];
        const error = await rejectsWith(
          deleteExtension("gone", "3.0.0", {
            ...options,
            confirm: (target) => {
              asked.push(`${target.reference} ${target.digest}`);
              return Promise.resolve(false);
            },
          }),
          "USAGE",
        );
        assert.match(error.message, /cancelled/);
        assert.deepEqual(asked, [`${published.reference} ${published.digest}`]);
        assert.equal(await artifactExists(client, "gone:3.0.0"), true);
      });

      await t.step("deletes the version, keeps the others", async () => {
        const deleted = await deleteExtension("gone", "3.0.0", options);
        assert.equal(deleted.digest, published.digest);
        assert.equal(deleted.reference, published.reference);
        assert.equal(await artifactExists(client, "gone:3.0.0"), false);
        assert.equal(await artifactExists(client, "gone:3.1.0"), true);
      });

      const cases = [
        {
          name: "the same version again",
          ext: "gone",
          version: "3.0.0",
          code: "VERSION_NOT_FOUND",
        },
        { name: "an unknown extension", ext: "never-was", version: "1.0.0", code: "NOT_FOUND" },
        {
          name: "a version that is not semver",
          ext: "gone",
          version: "3.1",
          code: "INVALID_VERSION",
        },
      ];
      for (const c of cases) {
        await t.step(`${c.name}: ${c.code}`, async () => {
          await rejectsWith(deleteExtension(c.ext, c.version, options), c.code);
        });
      }
    });
  },
);

registryTest(
  "deleteExtension() says clearly that the registry has deletion disabled (exit 2)",
  async (_t, reg) => {
    const options = publishOptionsFor(reg);
    await withTree(smallTree("kept", "1.0.0"), async (dir) => {
      await publishExtension(dir, options);
      const error = await rejectsWith(deleteExtension("kept", "1.0.0", options), "UNSUPPORTED");
      assert.equal(error.exitCode, 2);
      assert.match(
        error.message,
        /^Registry "127\.0\.0\.1:\d+" has deletion disabled: cannot delete ".*\/kept:1\.0\.0"$/,
      );
      using client = clientOf(options);
      assert.equal(await artifactExists(client, "kept:1.0.0"), true);
    });
  },
  { deleteEnabled: false, localOnly: true },
);
