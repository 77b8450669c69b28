/**
 * The library's load path under `[signatures] require = true`: `pullExtension` and
 * `loadExtension` return the verified signer (what a lock file records), a cache hit returns
 * the recorded one, and an unsigned extension is refused with nothing cached.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { configFor, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { clearLoadMemo, loadExtension, pullExtension } from "../../src/loader/mod.ts";
import { readCosignPrivateKey, signArtifact } from "../../src/signatures/mod.ts";
import { writeKeyPair } from "./_fixture.ts";

registryTest("pullExtension under require = true returns the verified signer", async (t, reg) => {
  const namespace = uniqueNamespace("sigload");
  using client = clientFor(reg, { settings: { namespace } });
  const signed = await publish(client, { name: "lsigned", type: "provider", version: "1.0.0" });
  await publish(client, { name: "lplain", type: "provider", version: "1.0.0" });
  const keysDir = await Deno.makeTempDir({ prefix: "sigload-keys-" });
  const keys = await writeKeyPair(keysDir, "k", "pw");
  const key = await readCosignPrivateKey(await Deno.readTextFile(keys.key), "pw");
  await signArtifact({
    client,
    repository: client.reference("lsigned"),
    digest: signed.digest,
    key,
  });
  const home = await makeHome(
    `[oci]\nretry_count = 0\n[signatures]\nrequire = true\n` +
      `[[signatures.trust]]\nprefix = "${reg.host}/${namespace}"\nkeys = ["${keys.pub}"]\n`,
  );
  try {
    const config = await configFor(home, reg.host, namespace);
    await t.step("a signed extension: success, with its signer", async () => {
      clearLoadMemo();
      const pulled = await pullExtension("provider", "lsigned", "1.0.0", {
        config,
        home: home.home,
      });
      assert.equal(pulled.success, true, pulled.error?.message);
      assert.equal(pulled.digest, signed.digest);
      assert.equal(pulled.signer, keys.keyId);
    });
    await t.step("the cache hit reports the signer recorded at pull time", async () => {
      clearLoadMemo();
      const hit = await loadExtension("provider", "lsigned", "1.0.0", { config, home: home.home });
      assert.equal(hit.success, true, hit.error?.message);
      assert.equal(hit.signer, keys.keyId);
    });
    await t.step("an unsigned extension: UNSIGNED, nothing cached", async () => {
      clearLoadMemo();
      const refused = await pullExtension("provider", "lplain", "1.0.0", {
        config,
        home: home.home,
      });
      assert.equal(refused.success, false);
      assert.equal(refused.error?.code, "UNSIGNED");
      assert.equal(refused.error?.exitCode, 5);
      await assert.rejects(
        Deno.lstat(join(home.cacheDir, "extensions", "provider", "lplain")),
        Deno.errors.NotFound,
      );
    });
  } finally {
    await home.cleanup();
    await Deno.remove(keysDir, { recursive: true });
  }
});
