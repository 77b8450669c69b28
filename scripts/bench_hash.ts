/**
 * How many times a layer is hashed on its way into the cache (`deno task bench hash`): runs
 * `_bench_hash_child.ts` with `node:crypto` inside `src/` replaced by a counting stand-in
 * (an import-map scope, so `src/` is measured unchanged) and prints, for a load through the
 * `oci` source, an ORAS-style artifact whose type comes from its layer, and an OCI layout,
 * how many passes hashed the whole layer and how many other bytes were hashed (manifests,
 * config, and — where checked — the uncompressed tar against its
 * `io.deis.oras.content.digest`, as `oras pull` does).
 *
 * Run it on another checkout to compare: `deno run -A scripts/bench_hash.ts [--size BYTES]`
 * from that checkout's root.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { flag } from "./_bench_util.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

if (import.meta.main) {
  const size = flag(Deno.args, "size", 8 * 1024 * 1024);
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const map = {
    imports: config.imports ?? {},
    scopes: { "./src/": { "node:crypto": "./scripts/_hash_count_shim.ts" } },
  };
  const mapFile = await Deno.makeTempFile({ dir: ROOT, prefix: ".bench-hash-", suffix: ".json" });
  try {
    await Deno.writeTextFile(mapFile, JSON.stringify(map));
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--import-map=${mapFile}`, "scripts/_bench_hash_child.ts", String(size)],
      cwd: ROOT,
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (code !== 0) Deno.exit(code);
    const rows = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!) as [
      string,
      number,
      number,
      number,
    ][];
    console.log("| path | layer bytes | passes over the layer | other bytes hashed |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const [label, layer, passes, other] of rows) {
      console.log(`| ${label} | ${layer} | ${passes} | ${other} |`);
    }
  } finally {
    await Deno.remove(mapFile).catch(() => {});
  }
}
