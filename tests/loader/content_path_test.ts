/**
 * The one content path against the real registry and through the real CLI: artifacts as
 * `oras push` writes them (several single-file layers laid out under their titles, a
 * directory layer whose `io.deis.oras.content.digest` is checked), layer titles that would
 * leave the tree, a corrupt layer of the right size, and image indexes searched for the
 * extension's manifest.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { getFromCache, listCached } from "../../src/cache/mod.ts";
import { clearLoadMemo, loadExtension } from "../../src/loader/mod.ts";
import {
  type Descriptor,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  pushManifest,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import { runCli } from "../cli/run_cli.ts";
import { registryTest } from "../harness/registry.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import {
  cliEnv,
  configFor,
  makeHome,
  manifestText,
  publish,
  storedBlobPath,
  type TestHome,
  writeExtension,
} from "./_fixture.ts";
import { orasPush } from "./_oras_fixture.ts";

const STACK_LINE = /^\s+at /m;

/**
 * Everything below the cache root but the (empty) fixed folders, the index, the marker,
 * lock files and discovery's own files (token realms): what a pull could have left.
 */
async function cacheLeftovers(home: TestHome): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) await walk(join(dir, entry.name), path);
      else if (!/^(index\.json|\.provisioning-cache|locks\/.*\.lock|discovery\/.*)$/.test(path)) {
        found.push(path);
      }
    }
  };
  await walk(home.cacheDir, "").catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  return found;
}

registryTest(
  "artifacts pushed as `oras push` writes them load as oras pull lays them out",
  async (t, reg) => {
    const namespace = uniqueNamespace("oras-files");
    using client = clientFor(reg, { settings: { namespace } });
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env });
      const yaml = manifestText("files", "cluster", "1.0.0");
      const kcl = "schema files:\n  name: str\n";
      await orasPush(client, "files:1.0.0", [
        { file: "extension.yaml", bytes: yaml },
        { file: "kcl/main.k", bytes: kcl, mediaType: "application/vnd.kcl.source" },
        { file: "README.md", bytes: "# files\n", mediaType: "text/markdown" },
      ]);

      await t.step("single-file layers become files named by their titles (CLI)", async () => {
        const run = await cli("ext", "load", "files", "--version", "1.0.0", "--format", "json");
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.type, "cluster", "the type comes from the extension.yaml layer");
        const dir = join(home.cacheDir, "extensions", "cluster", "files", "1.0.0");
        assert.equal(result.path, dir);
        assert.equal(await Deno.readTextFile(join(dir, "extension.yaml")), yaml);
        assert.equal(await Deno.readTextFile(join(dir, "kcl", "main.k")), kcl);
        assert.equal(await Deno.readTextFile(join(dir, "README.md")), "# files\n");
        const entry = await getFromCache(home.cacheDir, "cluster", "files", "1.0.0");
        assert.equal(entry?.files, 3);
      });

      await t.step(
        "a folder layer and file layers together, as oras pull writes them",
        async () => {
          const work = await Deno.makeTempDir({ dir: home.home });
          const folder = await writeExtension(work, "mixed", "mixed", "taskserv", "2.0.0");
          await orasPush(client, "mixed:2.0.0", [
            { dir: folder },
            { file: "mixed/NOTES.txt", bytes: "notes\n", mediaType: "text/plain" },
          ]);
          clearLoadMemo();
          const config = await configFor(home, reg.host, namespace);
          const result = await loadExtension(undefined, "mixed", "2.0.0", {
            config,
            sourceType: "oci",
          });
          assert.equal(result.error, undefined);
          assert.equal(await Deno.readTextFile(join(result.path!, "NOTES.txt")), "notes\n");
          assert.ok((await Deno.stat(join(result.path!, "kcl", "main.k"))).isFile);
        },
      );
    } finally {
      await home.cleanup();
    }
  },
);

registryTest(
  "layer titles and content digests are checked before anything is cached",
  async (t, reg) => {
    const namespace = uniqueNamespace("oras-refused");
    using client = clientFor(reg, { settings: { namespace } });
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      const cli = (...args: string[]) => runCli(args, { home: home.home, env });
      const yaml = (name: string) => manifestText(name, "provider", "1.0.0");
      const titles: [string, string, RegExp][] = [
        ["dotdot", "../escape.txt", /"\.\." path components/],
        ["absolute", "/etc/escape.txt", /absolute paths/],
        ["backslash", "kcl\\escape.txt", /backslashes/],
        ["inner-dotdot", "kcl/../../escape.txt", /"\.\." path components/],
      ];
      for (const [name, title, reason] of titles) {
        await t.step(`a layer titled "${title}" is refused with exit 5`, async () => {
          await orasPush(client, `${name}:1.0.0`, [
            { file: "extension.yaml", bytes: yaml(name) },
            { file: title, bytes: "x\n", mediaType: "text/plain" },
          ]);
          const run = await cli("ext", "pull", name, "--version", "1.0.0", "--source", "oci");
          assert.equal(run.code, 5, run.stderr);
          assert.match(run.stderr, reason);
          assert.ok(run.stderr.includes(`titled "${title}"`), run.stderr);
          assert.doesNotMatch(run.stderr, STACK_LINE);
          assert.deepEqual(await cacheLeftovers(home), []);
        });
      }

      await t.step("a wrong io.deis.oras.content.digest is DIGEST_MISMATCH, exit 5", async () => {
        const work = await Deno.makeTempDir({ dir: home.home });
        const folder = await writeExtension(work, "lying", "lying", "provider", "1.0.0");
        await orasPush(client, "lying:1.0.0", [
          { dir: folder, contentDigest: `sha256:${"0".repeat(64)}` },
        ]);
        const run = await cli("ext", "pull", "lying", "--version", "1.0.0", "--source", "oci");
        assert.equal(run.code, 5, run.stderr);
        assert.match(run.stderr, /Digest mismatch for the unpacked content of layer "sha256:/);
        assert.match(run.stderr, /io\.deis\.oras\.content\.digest/);
        assert.doesNotMatch(run.stderr, STACK_LINE);
        assert.deepEqual(await cacheLeftovers(home), []);
        clearLoadMemo();
        const config = await configFor(home, reg.host, namespace);
        const typed = await loadExtension("provider", "lying", "1.0.0", {
          config,
          sourceType: "oci",
        });
        assert.equal(typed.error?.code, "DIGEST_MISMATCH");
        assert.deepEqual(await cacheLeftovers(home), []);
      });
    } finally {
      await home.cleanup();
    }
  },
);

registryTest(
  "a corrupt layer of the right size is a digest mismatch naming artifact and blob",
  async (t, reg) => {
    const namespace = uniqueNamespace("corrupt");
    using client = clientFor(reg, { settings: { namespace } });
    const typed = await publish(client, { name: "bent", type: "provider", version: "1.0.0" });
    const oras = await publish(client, {
      name: "bent-oras",
      type: "provider",
      version: "1.0.0",
      orasStyle: true,
    });
    // Flip a byte in the middle of each stored layer: same size, gzip no longer intact.
    for (const { layerDigest } of [typed, oras]) {
      const data = storedBlobPath(reg, layerDigest);
      const bytes = await Deno.readFile(data);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0xff;
      await Deno.writeFile(data, bytes);
    }
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      for (const [name, pushed] of [["bent", typed], ["bent-oras", oras]] as const) {
        await t.step(`${name}: exit 5, nothing left in the cache`, async () => {
          const run = await runCli(
            ["ext", "pull", name, "--version", "1.0.0", "--source", "oci"],
            { home: home.home, env },
          );
          assert.equal(run.code, 5, run.stderr);
          assert.ok(
            run.stderr.includes(
              `Digest mismatch for layer "${pushed.layerDigest}" of "${reg.host}/${namespace}/${name}:1.0.0"`,
            ),
            run.stderr,
          );
          assert.doesNotMatch(run.stderr, /invalid EOF|Cannot read archive/);
          assert.doesNotMatch(run.stderr, STACK_LINE);
          assert.deepEqual(await listCached(home.cacheDir), []);
          assert.deepEqual(await cacheLeftovers(home), []);
        });
      }
    } finally {
      await home.cleanup();
    }
  },
);

/** Pushes an index holding `children` under `tag`; returns its descriptor. */
async function pushIndex(
  client: RegistryClient,
  tag: string,
  children: Descriptor[],
): Promise<Descriptor> {
  const bytes = new TextEncoder().encode(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_INDEX,
    manifests: children,
  }));
  const { digest, size } = await pushManifest(client, tag, bytes, MEDIA_TYPE_OCI_INDEX);
  return { mediaType: MEDIA_TYPE_OCI_INDEX, digest, size };
}

registryTest("an image index is searched for the extension's manifest", async (t, reg) => {
  const namespace = uniqueNamespace("indexed");
  using client = clientFor(reg, { settings: { namespace } });
  // An image-like manifest for one platform, beside the extension (whose descriptor in the
  // index says nothing about it): the index must be read into, not refused.
  const image = await orasPush(client, "idx:image", [
    { file: "rootfs.txt", bytes: "not an extension\n", mediaType: "text/plain" },
  ]);
  const ext = await publish(client, {
    name: "idx",
    type: "provider",
    version: "1.0.0",
    tag: "plain",
  });
  const sizeOf = async (tag: string) =>
    (await client.send({
      method: "HEAD",
      url: client.repositoryUrl(client.reference(`idx:${tag}`), `manifests/${tag}`),
      headers: { accept: MEDIA_TYPE_OCI_MANIFEST },
      scopes: [],
    })).headers.get("content-length");
  const extSize = Number(await sizeOf("plain"));
  const imageDescriptor: Descriptor = {
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    digest: image.digest,
    size: Number(await sizeOf("image")),
    platform: { os: "linux", architecture: "amd64" },
  };
  const extDescriptor: Descriptor = {
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    digest: ext.digest,
    size: extSize,
  };
  // Only the index carries the version tag; the manifests sit under other tags.
  const top = await pushIndex(client, "idx:1.0.0", [imageDescriptor, extDescriptor]);
  const inner = await pushIndex(client, "idx:inner", [imageDescriptor, extDescriptor]);
  const nested = await pushIndex(client, "idx:nested", [inner]);
  const home = await makeHome();
  try {
    const config = await configFor(home, reg.host, namespace);
    await t.step("a child found by its config media type; tagDigest is the index", async () => {
      clearLoadMemo();
      const result = await loadExtension(undefined, "idx", "1.0.0", {
        config,
        sourceType: "oci",
      });
      assert.equal(result.error, undefined);
      assert.equal(result.digest, ext.digest);
      const entry = await getFromCache(home.cacheDir, "provider", "idx", "1.0.0");
      assert.equal(entry?.digest, ext.digest);
      assert.equal(entry?.tagDigest, top.digest);
    });
    await t.step("an index of an index (2 deep) is searched too", async () => {
      const { resolveArtifact, createRemoteTarget } = await import("../../src/oci/mod.ts");
      const found = await resolveArtifact(
        createRemoteTarget(client, client.reference("idx")),
        "nested",
      );
      assert.equal(found.descriptor.digest, ext.digest);
      assert.equal(found.root.digest, nested.digest);
    });
    await t.step("three deep is refused, exit 2", async () => {
      const deepest = await pushIndex(client, "idx:deep", [nested]);
      const { resolveArtifact, createRemoteTarget } = await import("../../src/oci/mod.ts");
      await assert.rejects(
        resolveArtifact(createRemoteTarget(client, client.reference("idx")), deepest.digest),
        { code: "UNSUPPORTED", message: /nests indexes more than 2 deep/ },
      );
    });
  } finally {
    await home.cleanup();
  }
});

registryTest(
  "progress counts each layer's bytes once, up to the artifact's total",
  async (t, reg) => {
    const namespace = uniqueNamespace("progress");
    using client = clientFor(reg, { settings: { namespace } });
    const typed = await publish(client, { name: "typed", type: "provider", version: "1.0.0" });
    const oras = await publish(client, {
      name: "untyped",
      type: "provider",
      version: "1.0.0",
      orasStyle: true,
    });
    const files = await orasPush(client, "files:1.0.0", [
      { file: "extension.yaml", bytes: manifestText("files", "provider", "1.0.0") },
      { file: "kcl/main.k", bytes: "schema files:\n", mediaType: "application/vnd.kcl.source" },
    ]);
    const home = await makeHome();
    try {
      const config = await configFor(home, reg.host, namespace);
      const cases: [string, number][] = [
        ["typed", typed.layerSize],
        ["untyped", oras.layerSize],
        ["files", files.layers.reduce((sum, l) => sum + l.size, 0)],
      ];
      for (const [name, size] of cases) {
        await t.step(`${name}: ${size} bytes`, async () => {
          clearLoadMemo();
          const seen: { transferred: number; total: number }[] = [];
          const result = await loadExtension(undefined, name, "1.0.0", {
            config,
            sourceType: "oci",
            onProgress: ({ transferred, total }) => seen.push({ transferred, total }),
          });
          assert.equal(result.error, undefined);
          assert.deepEqual(seen.at(-1), { transferred: size, total: size });
          assert.ok(seen.every((p, i) => i === 0 || p.transferred >= seen[i - 1]!.transferred));
        });
      }
    } finally {
      await home.cleanup();
    }
  },
);
