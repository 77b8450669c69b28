/**
 * Progress bars through the real CLI on a real terminal (a pty): none for a small extension
 * (its 139-byte config least of all), a bar for packing, uploading and downloading one of
 * a few MiB.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, writeExtension } from "../loader/_fixture.ts";
import { uniqueNamespace } from "../oci/_helpers.ts";
import { runOnTerminal } from "./run_cli.ts";

/** Bytes that gzip cannot shrink, so the layer stays as large as the file. */
function randomBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

const BAR = /\[[#.]{30}\] +\d+%/;

registryTest(
  "bars only for transfers where they help: none for a small extension",
  async (t, reg) => {
    const namespace = uniqueNamespace("cli-progress");
    const home = await makeHome();
    try {
      const env = cliEnv(home, reg.host, namespace);
      const onTerminal = (args: string[]) =>
        runOnTerminal(args, { home: home.home, env }, "\u0000", "");
      const small = join(home.home, "src", "small");
      const large = join(home.home, "src", "large");
      await writeExtension(join(home.home, "src"), "small", "small", "taskserv", "1.0.0");
      await writeExtension(join(home.home, "src"), "large", "large", "taskserv", "1.0.0");
      await Deno.writeFile(join(large, "payload.bin"), randomBytes(3 * 1024 * 1024));

      await t.step("a small extension publishes and loads without a bar", async () => {
        const published = await onTerminal(["ext", "publish", small]);
        if (published === undefined) throw new Error("util-linux `script` is missing: no pty");
        assert.equal(published.code, 0, published.output);
        assert.doesNotMatch(published.output, BAR, published.output);
        const loaded = await onTerminal(["ext", "load", "small", "--source", "oci"]);
        assert.equal(loaded!.code, 0, loaded!.output);
        assert.doesNotMatch(loaded!.output, BAR, loaded!.output);
      });

      await t.step("a 3 MiB extension shows packing, upload and download bars", async () => {
        const published = await onTerminal(["ext", "publish", large]);
        assert.equal(published!.code, 0, published!.output);
        assert.match(published!.output, /package \[#{30}\] 100% 3\.0 MiB \/ 3\.0 MiB/);
        assert.match(published!.output, /layer \[#{30}\] 100%/);
        assert.doesNotMatch(
          published!.output,
          /config \[/,
          "the config blob is too small for a bar",
        );
        const loaded = await onTerminal(["ext", "load", "large", "--source", "oci"]);
        assert.equal(loaded!.code, 0, loaded!.output);
        assert.match(loaded!.output, /large 1\.0\.0 \[#{30}\] 100%/);
      });
    } finally {
      await home.cleanup();
    }
  },
);
