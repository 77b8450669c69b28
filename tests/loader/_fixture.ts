/**
 * Fixtures of the loader, source and load/pull CLI tests: real extension folders packaged
 * with the publish module and pushed to the harness registry, and configurations pointing a
 * temporary home, cache and local folder at it.
 *
 * @module
 */

import { join } from "node:path";
import { loadConfig } from "../../src/config/mod.ts";
import type { ResolvedConfig } from "../../src/config/types.ts";
import type { ExtensionType } from "../../src/manifest/types.ts";
import {
  type BlobSource,
  digestOf,
  MEDIA_TYPE_OCI_EMPTY,
  MEDIA_TYPE_OCI_MANIFEST,
  pushArtifact,
  type RegistryClient,
} from "../../src/oci/mod.ts";
import { packageExtension } from "../../src/publish/mod.ts";
import { versionToTag } from "../../src/versions/mod.ts";

/** What to publish. */
export interface ExtensionSpec {
  /** Repository name (and, unless `manifestName` is given, the manifest's name). */
  name: string;
  type: ExtensionType;
  version: string;
  /** Tag to push under (default: the version, `+` as `_`). */
  tag?: string;
  /** Name written into `extension.yaml` (to build an artifact that lies about itself). */
  manifestName?: string;
  /** Extra files: path → content. */
  files?: Record<string, string>;
  /** Push the way `oras push` does a folder: empty config, no type annotation. */
  orasStyle?: boolean;
  /** `SOURCE_DATE_EPOCH` of the package (adds `org.opencontainers.image.created`). */
  sourceDateEpoch?: number;
}

/** What was pushed. */
export interface Published {
  /** Manifest digest. */
  digest: string;
  /** Layer digest. */
  layerDigest: string;
  /** Layer size in bytes. */
  layerSize: number;
}

/** The text of an `extension.yaml`. */
export function manifestText(name: string, type: string, version: string): string {
  return `extension:\n  name: ${name}\n  version: "${version}"\n  type: ${type}\n` +
    `  description: ${name} ${version} for tests\n`;
}

/** Writes an extension folder (manifest plus a `kcl/` file) under `root/rel`. */
export async function writeExtension(
  root: string,
  rel: string,
  name: string,
  type: string,
  version: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = join(root, rel);
  await Deno.mkdir(join(dir, "kcl"), { recursive: true });
  await Deno.writeTextFile(join(dir, "extension.yaml"), manifestText(name, type, version));
  await Deno.writeTextFile(join(dir, "kcl", "main.k"), `schema ${name.replace(/\W/g, "_")}:\n`);
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(dir, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(dir, path), text);
  }
  return dir;
}

/**
 * Packages an extension folder with the publish module and pushes it to the client's
 * registry and namespace under `spec.name:tag`.
 */
export async function publish(client: RegistryClient, spec: ExtensionSpec): Promise<Published> {
  const work = await Deno.makeTempDir({ prefix: "loader-fixture-" });
  try {
    const dir = await writeExtension(
      work,
      "ext",
      spec.manifestName ?? spec.name,
      spec.type,
      spec.version,
      spec.files,
    );
    const pkg = await packageExtension(
      dir,
      spec.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: spec.sourceDateEpoch },
    );
    try {
      const ref = `${spec.name}:${spec.tag ?? versionToTag(spec.version)}`;
      if (spec.orasStyle) {
        const empty = new TextEncoder().encode("{}");
        const config: BlobSource = {
          digest: digestOf(empty),
          size: empty.byteLength,
          mediaType: MEDIA_TYPE_OCI_EMPTY,
          open: () => Promise.resolve(ReadableStream.from([empty.slice()])),
        };
        const layerDescriptor = JSON.parse(new TextDecoder().decode(pkg.manifest.bytes))
          .layers[0];
        const manifest = new TextEncoder().encode(JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPE_OCI_MANIFEST,
          artifactType: "application/vnd.unknown.artifact.v1",
          config: { mediaType: MEDIA_TYPE_OCI_EMPTY, digest: config.digest, size: config.size },
          layers: [layerDescriptor],
        }));
        const pushed = await pushArtifact(client, ref, {
          config,
          layers: [pkg.layer],
          manifest,
        });
        return { digest: pushed.digest, layerDigest: pkg.layer.digest, layerSize: pkg.layer.size };
      }
      const pushed = await pushArtifact(client, ref, {
        config: pkg.config,
        layers: [pkg.layer],
        manifest: pkg.manifest.bytes,
      });
      return { digest: pushed.digest, layerDigest: pkg.layer.digest, layerSize: pkg.layer.size };
    } finally {
      await pkg.cleanup();
    }
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/** A temporary home with a cache and an (empty) local extensions folder. */
export interface TestHome {
  home: string;
  cacheDir: string;
  /** The local source's folder (`PROVISIONING_EXTENSIONS_PATH`). */
  localDir: string;
  /** Removes everything. */
  cleanup(): Promise<void>;
}

/**
 * Makes a temporary home. `configToml` is written to `~/.provisioning/config.toml`; by
 * default it sets `[oci] retry_count = 0` so a stopped registry fails at once.
 */
export async function makeHome(
  configToml = "[oci]\nretry_count = 0\ntimeout = 10\n",
): Promise<TestHome> {
  const home = await Deno.makeTempDir({ prefix: "loader-home-" });
  const cacheDir = join(home, "cache");
  const localDir = join(home, "local");
  await Deno.mkdir(localDir);
  await Deno.mkdir(join(home, ".provisioning"));
  await Deno.writeTextFile(join(home, ".provisioning", "config.toml"), configToml);
  return {
    home,
    cacheDir,
    localDir,
    cleanup: () => Deno.remove(home, { recursive: true }),
  };
}

/** The configuration a CLI run in `home` against `registry`/`namespace` would have. */
export function configFor(
  home: TestHome,
  registry: string,
  namespace: string,
): Promise<ResolvedConfig> {
  return loadConfig({
    cwd: home.home,
    home: home.home,
    env: { PROVISIONING_CACHE_DIR: home.cacheDir, PROVISIONING_EXTENSIONS_PATH: home.localDir },
    flags: { registry, namespace },
  });
}

/** The environment for `runCli` matching {@linkcode configFor}. */
export function cliEnv(home: TestHome, registry: string, namespace: string) {
  return {
    PROVISIONING_CACHE_DIR: home.cacheDir,
    PROVISIONING_EXTENSIONS_PATH: home.localDir,
    PROVISIONING_OCI_REGISTRY: registry,
    PROVISIONING_OCI_NAMESPACE: namespace,
  };
}

/** A `fetch` that counts requests by method and path (then really sends them). */
export function countingFetch(): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(`${init?.method ?? "GET"} ${url.pathname}`);
    return fetch(input, init);
  };
  return { fetch: counting, requests };
}

/** Blob GETs of `digest` in a registry log (its access-log lines, one per request served). */
export function blobGets(log: string, digest: string): number {
  return log.split("\n").filter((line) =>
    line.includes(`"GET `) && line.includes(`/blobs/${digest} `)
  )
    .length;
}

/** Where the harness registry (distribution's filesystem driver) keeps a blob's bytes. */
export function storedBlobPath(reg: { dataDir: string }, digest: string): string {
  const hex = digest.slice("sha256:".length);
  return join(reg.dataDir, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
}
