/**
 * The measuring half of `bench_hash.ts`, run with `node:crypto` mapped to
 * `_hash_count_shim.ts` inside `src/`: publishes an extension with a large random file to a
 * loopback registry, then loads it through the `oci` source, an OCI layout (skopeo) and an
 * ORAS-style artifact (no declared type), and prints, per path, how many hashes read the
 * whole layer and how many other bytes were hashed (manifests, config, the uncompressed tar
 * checked against `io.deis.oras.content.digest`). Private to the scripts.
 *
 * @module
 */

import { join } from "node:path";
import { clearLoadMemo, loadExtension } from "../src/loader/mod.ts";
import { startRegistry } from "../tests/harness/registry.ts";
import { skopeo } from "../tests/harness/skopeo.ts";
import { configFor, makeHome, publish } from "../tests/loader/_fixture.ts";
import { clientFor } from "../tests/oci/_helpers.ts";
import { counted } from "./_hash_count_shim.ts";

const size = Number(Deno.args[0] ?? 8 * 1024 * 1024);
const reg = await startRegistry();
const namespace = "bench-hash";
const rows: [string, number, number, number][] = [];
try {
  using client = clientFor(reg, { settings: { namespace } });
  const random = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(random.subarray(i, i + 65536));
  const big = Array.from(random.subarray(0, size), (b) => String.fromCharCode(65 + (b % 26)))
    .join("");
  const typed = await publish(client, {
    name: "big",
    type: "provider",
    version: "1.0.0",
    files: { "data/blob.txt": big },
  });
  const oras = await publish(client, {
    name: "big-oras",
    type: "provider",
    version: "1.0.0",
    files: { "data/blob.txt": big },
    orasStyle: true,
  });
  const measure = async (label: string, layerSize: number, load: () => Promise<unknown>) => {
    clearLoadMemo();
    const before = counted.bytes;
    const firstHash = counted.perHash.length;
    const result = await load() as { success: boolean; error?: { message: string } };
    if (!result.success) throw new Error(`${label}: ${result.error?.message}`);
    const passes = counted.perHash.slice(firstHash).filter((n) => n === layerSize).length;
    rows.push([label, layerSize, passes, counted.bytes - before - passes * layerSize]);
  };
  const home = await makeHome();
  try {
    const config = await configFor(home, reg.host, namespace);
    await measure(
      "oci, typed artifact",
      typed.layerSize,
      () => loadExtension(undefined, "big", "1.0.0", { config, sourceType: "oci" }),
    );
    await measure(
      "oci, ORAS-style (type from the layer)",
      oras.layerSize,
      () => loadExtension(undefined, "big-oras", "1.0.0", { config, sourceType: "oci" }),
    );
    const layout = join(home.home, "layouts");
    await Deno.mkdir(layout);
    await skopeo(
      "copy",
      "--all",
      "--src-tls-verify=false",
      `docker://${reg.host}/${namespace}/big:1.0.0`,
      `oci:${join(layout, "big")}:1.0.0`,
    );
    const layoutHome = await makeHome(
      `[oci]\nretry_count = 0\n[extensions]\nlayout_paths = ["${layout}"]\n`,
    );
    try {
      const layoutConfig = await configFor(layoutHome, reg.host, namespace);
      await measure("oci-layout", typed.layerSize, () =>
        loadExtension(undefined, "big", "1.0.0", {
          config: layoutConfig,
          sourceType: "oci-layout",
        }));
    } finally {
      await layoutHome.cleanup();
    }
  } finally {
    await home.cleanup();
  }
} finally {
  await reg.stop();
}
console.log(JSON.stringify(rows));
