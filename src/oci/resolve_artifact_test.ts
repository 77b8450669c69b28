import assert from "node:assert/strict";
import { digestOf } from "./digest.ts";
import {
  ARTIFACT_TYPE_EXTENSION,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_OCI_EMPTY,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
} from "./media_types.ts";
import { resolveArtifact } from "./resolve_artifact.ts";
import type { ReadOnlyTarget } from "./content.ts";
import type { Descriptor } from "./types.ts";

/** An in-memory store that counts what is fetched. */
function memoryStore() {
  const blobs = new Map<string, Uint8Array>();
  const fetched: string[] = [];
  const put = (doc: unknown, mediaType: string, extra: Partial<Descriptor> = {}): Descriptor => {
    const bytes = new TextEncoder().encode(JSON.stringify(doc));
    blobs.set(digestOf(bytes), bytes);
    return { mediaType, digest: digestOf(bytes), size: bytes.byteLength, ...extra };
  };
  const target: ReadOnlyTarget = {
    label: "memory",
    fetch(descriptor) {
      fetched.push(descriptor.digest);
      return Promise.resolve(ReadableStream.from([blobs.get(descriptor.digest)!]));
    },
    resolve: () => Promise.reject(new Error("no tags")),
  };
  const empty = { mediaType: MEDIA_TYPE_OCI_EMPTY, digest: digestOf(new Uint8Array()), size: 0 };
  const manifest = (config: string, artifactType?: string, extra: Partial<Descriptor> = {}) =>
    put(
      {
        schemaVersion: 2,
        mediaType: MEDIA_TYPE_OCI_MANIFEST,
        ...(artifactType === undefined ? {} : { artifactType }),
        config: { ...empty, mediaType: config },
        layers: [],
      },
      MEDIA_TYPE_OCI_MANIFEST,
      extra,
    );
  const index = (children: Descriptor[]) =>
    put(
      { schemaVersion: 2, mediaType: MEDIA_TYPE_OCI_INDEX, manifests: children },
      MEDIA_TYPE_OCI_INDEX,
    );
  return { target, fetched, manifest, index };
}

const AMD64 = { platform: { os: "linux", architecture: "amd64" } };
const IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";

Deno.test("resolveArtifact() searches an index for the extension manifest", async (t) => {
  await t.step("a child marked with our artifactType is taken without reading others", async () => {
    const m = memoryStore();
    const other = m.manifest(IMAGE_CONFIG, undefined, AMD64);
    const ours = m.manifest(MEDIA_TYPE_EXTENSION_CONFIG, undefined, {
      artifactType: ARTIFACT_TYPE_EXTENSION,
    });
    const root = m.index([other, ours]);
    const found = await resolveArtifact(m.target, root);
    assert.equal(found.descriptor.digest, ours.digest);
    assert.deepEqual(m.fetched, [root.digest, ours.digest]);
  });
  const cases: [string, (m: ReturnType<typeof memoryStore>) => [Descriptor, Descriptor]][] = [
    ["by the child's config media type", (m) => {
      const ours = m.manifest(MEDIA_TYPE_EXTENSION_CONFIG, undefined, AMD64);
      return [m.index([m.manifest(IMAGE_CONFIG, undefined, AMD64), ours]), ours];
    }],
    ["by the child manifest's artifactType", (m) => {
      const ours = m.manifest(MEDIA_TYPE_OCI_EMPTY, ARTIFACT_TYPE_EXTENSION);
      return [m.index([m.manifest(IMAGE_CONFIG, undefined, AMD64), ours]), ours];
    }],
    ["the one child without a platform", (m) => {
      const ours = m.manifest(MEDIA_TYPE_OCI_EMPTY, "application/vnd.unknown.artifact.v1");
      return [m.index([m.manifest(IMAGE_CONFIG, undefined, AMD64), ours]), ours];
    }],
    ["the only child", (m) => {
      const ours = m.manifest(MEDIA_TYPE_OCI_EMPTY, undefined, AMD64);
      return [m.index([ours]), ours];
    }],
    ["an index two deep", (m) => {
      const ours = m.manifest(MEDIA_TYPE_EXTENSION_CONFIG);
      return [m.index([m.index([m.manifest(IMAGE_CONFIG, undefined, AMD64), ours])]), ours];
    }],
  ];
  for (const [name, build] of cases) {
    await t.step(name, async () => {
      const m = memoryStore();
      const [root, ours] = build(m);
      const found = await resolveArtifact(m.target, root);
      assert.equal(found.descriptor.digest, ours.digest);
      assert.equal(found.root.digest, root.digest);
    });
  }
});

Deno.test("resolveArtifact() refuses an index without an extension, or nested too deep", async (t) => {
  const refusals: [string, (m: ReturnType<typeof memoryStore>) => Descriptor, RegExp][] = [
    ["two platform images", (m) =>
      m.index([
        m.manifest(IMAGE_CONFIG, undefined, AMD64),
        m.manifest(IMAGE_CONFIG, undefined, { platform: { os: "linux", architecture: "arm64" } }),
      ]), /has 2 manifests and none is an extension/],
    [
      "three deep",
      (m) => m.index([m.index([m.index([m.manifest(MEDIA_TYPE_EXTENSION_CONFIG)])])]),
      /nests indexes more than 2 deep/,
    ],
  ];
  for (const [name, build, message] of refusals) {
    await t.step(name, async () => {
      const m = memoryStore();
      await assert.rejects(resolveArtifact(m.target, build(m)), { code: "UNSUPPORTED", message });
    });
  }
});
