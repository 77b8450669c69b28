/**
 * Deleting artifacts against the real registry (harness, plain variant; delete disabled).
 */

import assert from "node:assert/strict";
import { registryTest } from "../harness/registry.ts";
import {
  artifactExists,
  deleteArtifact,
  getArtifactManifest,
  pushArtifact,
  pushManifest,
} from "../../src/oci/mod.ts";
import { bytesSource, clientFor, configSource, recordingFetch } from "./_helpers.ts";

registryTest("deleteArtifact() resolves the tag and deletes by digest", async (_t, reg) => {
  const recorder = recordingFetch();
  using client = clientFor(reg, { fetch: recorder.fetch });
  const pushed = await pushArtifact(client, "del:1.0.0", {
    config: configSource({}),
    layers: [bytesSource(new Uint8Array([1]))],
  });
  const { bytes } = await getArtifactManifest(client, "del:1.0.0");
  await pushManifest(client, "del:1.0.0-alias", bytes, pushed.mediaType);

  recorder.requests.length = 0;
  const deleted = await deleteArtifact(client, "del:1.0.0");
  assert.equal(deleted.digest, pushed.digest);
  assert.deepEqual(
    recorder.requests.map((r) => `${r.method} ${r.url.pathname.split("/").pop()}`),
    ["HEAD 1.0.0", `DELETE ${pushed.digest}`],
  );
  assert.equal(await artifactExists(client, "del:1.0.0"), false);
  assert.equal(await artifactExists(client, "del:1.0.0-alias"), false, "all its tags are gone");
  await assert.rejects(deleteArtifact(client, "del:1.0.0"), { code: "NOT_FOUND" });
  await assert.rejects(deleteArtifact(client, `del@${pushed.digest}`), { code: "NOT_FOUND" });
});

registryTest(
  "deleteArtifact() says so when the registry has deletion disabled",
  async (_t, reg) => {
    using client = clientFor(reg);
    await pushArtifact(client, "keep:1.0.0", { config: configSource({}), layers: [] });
    await assert.rejects(deleteArtifact(client, "keep:1.0.0"), (error: unknown) => {
      const e = error as { code: string; exitCode: number; message: string; hint: string };
      assert.equal(e.code, "UNSUPPORTED");
      assert.equal(e.exitCode, 2);
      assert.match(
        e.message,
        /^Registry "127\.0\.0\.1:\d+" has deletion disabled: cannot delete ".*\/keep:1\.0\.0"$/,
      );
      assert.match(e.hint, /storage\.delete\.enabled/);
      return true;
    });
    assert.equal(await artifactExists(client, "keep:1.0.0"), true);
  },
  { deleteEnabled: false, localOnly: true },
);
