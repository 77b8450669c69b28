/**
 * Fixtures of the discovery tests: real artifacts pushed to the harness registry (our
 * config blob, a tiny tar+gzip layer holding `extension.yaml`, the manifest built by the
 * publish module), ORAS-style artifacts without our config, and local extension folders.
 *
 * @module
 */

import { join } from "node:path";
import { packTar } from "modern-tar";
import type { ExtensionManifest, ExtensionType } from "../../src/manifest/types.ts";
import {
  ANNOTATION_DESCRIPTION,
  ANNOTATION_TITLE,
  ANNOTATION_VERSION,
  type BlobSource,
  digestOf,
  MEDIA_TYPE_LAYER_TAR_GZIP,
  MEDIA_TYPE_OCI_EMPTY,
  pushArtifact,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import { buildConfigBlob, buildImageManifest } from "../../src/publish/mod.ts";
import { versionToTag } from "../../src/versions/mod.ts";

/** One extension to push: every version gets its own artifact. */
export interface FixtureExtension {
  name: string;
  type: ExtensionType;
  versions: string[];
  description?: string;
  dependencies?: Record<string, string>;
  license?: string;
}

/** A blob source over bytes in memory. */
export function bytesSource(bytes: Uint8Array, mediaType: string): BlobSource {
  return {
    digest: digestOf(bytes),
    size: bytes.byteLength,
    mediaType,
    open: () => Promise.resolve(ReadableStream.from([bytes.slice()])),
  };
}

/** Gzip of a tar holding `<name>/extension.yaml`; returns it with the tar's digest. */
export async function tinyLayer(
  name: string,
  yaml: string,
): Promise<{ bytes: Uint8Array; uncompressedDigest: string }> {
  const tar = await packTar([
    { header: { name: `${name}/`, type: "directory", size: 0 } },
    { header: { name: `${name}/extension.yaml`, type: "file", size: yaml.length }, body: yaml },
  ]);
  const gz = new Uint8Array(
    await new Response(
      ReadableStream.from([tar]).pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  return { bytes: gz, uncompressedDigest: digestOf(tar) };
}

/** The manifest of one version of a fixture extension. */
export function manifestOf(ext: FixtureExtension, version: string): ExtensionManifest {
  const manifest: ExtensionManifest = {
    extension: {
      name: ext.name,
      version,
      type: ext.type,
      ...(ext.description === undefined ? {} : { description: ext.description }),
    },
  };
  if (ext.dependencies !== undefined) manifest.dependencies = ext.dependencies;
  if (ext.license !== undefined) manifest.metadata = { license: ext.license };
  return manifest;
}

/**
 * Pushes every version of an extension to `namespace/name` the way `ext publish` does
 * (config blob, one layer, manifest from the publish module).
 *
 * @returns The manifest digest of each version.
 */
export async function pushExtension(
  client: RegistryClient,
  namespace: string,
  ext: FixtureExtension,
): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const version of ext.versions) {
    const manifest = manifestOf(ext, version);
    const config = buildConfigBlob(manifest);
    const yaml = `extension:\n  name: ${ext.name}\n  version: "${version}"\n  type: ${ext.type}\n`;
    const layer = await tinyLayer(ext.name, yaml);
    const layerSource = bytesSource(layer.bytes, MEDIA_TYPE_LAYER_TAR_GZIP);
    const image = buildImageManifest({
      extension: manifest,
      config,
      layer: {
        digest: layerSource.digest,
        size: layerSource.size,
        uncompressedDigest: layer.uncompressedDigest,
      },
    });
    const pushed = await pushArtifact(
      client,
      `${client.registry}/${namespace}/${ext.name}:${versionToTag(version)}`,
      { config, layers: [layerSource], manifest: image.bytes },
    );
    digests.set(version, pushed.digest);
  }
  return digests;
}

/**
 * Pushes an artifact the way `oras push` does: the empty config `{}`, a file layer titled
 * with its name, and only the annotations given (no `artifactType` of ours).
 *
 * @returns The manifest digest.
 */
export async function pushOrasArtifact(
  client: RegistryClient,
  repository: string,
  tag: string,
  annotations: Record<string, string>,
): Promise<string> {
  const yaml = new TextEncoder().encode("name: from-oras\n");
  const layer = bytesSource(yaml, "application/vnd.oci.image.layer.v1.tar");
  layer.annotations = { [ANNOTATION_TITLE]: "extension.yaml" };
  const pushed = await pushArtifact(client, `${client.registry}/${repository}:${tag}`, {
    config: bytesSource(new TextEncoder().encode("{}"), MEDIA_TYPE_OCI_EMPTY),
    layers: [layer],
    artifactType: "application/vnd.unknown.artifact.v1",
    annotations: {
      [ANNOTATION_VERSION]: tag,
      ...annotations,
    },
  });
  return pushed.digest;
}

/** Annotation keys re-exported for the tests. */
export { ANNOTATION_DESCRIPTION, ANNOTATION_TITLE };

/**
 * Runs `fn` on items with at most `limit` in flight (pushing 50+ repositories quickly).
 */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Writes a local extension folder `<root>/<rel>/extension.yaml`. */
export async function writeLocalExtension(
  root: string,
  ext: Pick<FixtureExtension, "name" | "type" | "description">,
  version: string,
): Promise<string> {
  const dir = join(root, `${ext.type}s`, ext.name, version);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "extension.yaml"),
    `extension:\n  name: ${ext.name}\n  version: "${version}"\n  type: ${ext.type}\n` +
      (ext.description === undefined ? "" : `  description: ${ext.description}\n`),
  );
  return dir;
}

/**
 * The catalog of the discovery tests: 56 extensions under two namespaces, every type, a few
 * with several versions (including a pre-release and build metadata).
 */
export function catalog(): { team: FixtureExtension[]; other: FixtureExtension[] } {
  const types: ExtensionType[] = ["provider", "taskserv", "cluster"];
  const team: FixtureExtension[] = [
    {
      name: "kubernetes",
      type: "taskserv",
      versions: ["1.28.0", "1.29.1", "1.30.0-rc.1"],
      description: "Kubernetes control plane and kubelet",
      dependencies: { containerd: "^1.7.0" },
      license: "Apache-2.0",
    },
    { name: "kube-proxy", type: "taskserv", versions: ["1.29.0"], description: "Service proxy" },
    {
      name: "cilium",
      type: "taskserv",
      versions: ["1.15.0"],
      description: "eBPF networking for kubernetes",
    },
    { name: "containerd", type: "taskserv", versions: ["1.7.0", "1.7.13"] },
    {
      name: "aws",
      type: "provider",
      versions: ["2.4.1", "2.5.0+build.7"],
      description: "Amazon Web Services",
    },
    { name: "upcloud", type: "provider", versions: ["1.0.0"], description: "UpCloud servers" },
    { name: "buildkit", type: "cluster", versions: ["0.12.0"], description: "BuildKit cluster" },
  ];
  for (let i = 0; i < 33; i++) {
    team.push({
      name: `ext-${String(i).padStart(2, "0")}`,
      type: types[i % 3]!,
      versions: ["0.1.0"],
      description: `Generated fixture number ${i}`,
    });
  }
  const other: FixtureExtension[] = [];
  for (let i = 0; i < 16; i++) {
    other.push({
      name: `other-${String(i).padStart(2, "0")}`,
      type: types[(i + 1) % 3]!,
      versions: ["3.0.0"],
      description: `Second namespace fixture ${i}`,
    });
  }
  return { team, other };
}
