/**
 * A lock made from the real registry verifies against the same extension delivered by an OCI
 * layout (written by skopeo from that registry, the registry then stopped): same digest, same
 * tree hash, and the lock keeps naming the registry as the origin.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { clearLoadMemo } from "../../src/loader/mod.ts";
import { installWorkspace } from "../../src/workspace/mod.ts";
import { registryTest } from "../harness/registry.ts";
import { skopeo, skopeoMissing } from "../harness/skopeo.ts";
import { configFor, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";

const ignore = skopeoMissing({
  tests: "the lock-over-a-layout test",
  skip: "the lock-over-a-layout test is ignored",
});

if (!ignore) {
  registryTest("a registry-made lock verifies against an OCI layout copy", async (_t, reg) => {
    const namespace = uniqueNamespace("lock-layout");
    using client = clientFor(reg, { settings: { namespace } });
    const db = await publish(client, { name: "db", type: "taskserv", version: "2.1.0" });
    const home = await makeHome();
    try {
      const ws = join(home.home, "ws");
      await Deno.mkdir(ws);
      const file = join(ws, "extensions.toml");
      await Deno.writeTextFile(file, '[extensions]\ndb = "^2.0.0"\n');
      const config = await configFor(home, reg.host, namespace);
      clearLoadMemo();
      const first = await installWorkspace({ config, file });
      const lockText = await Deno.readTextFile(first.lockPath);
      assert.equal(first.lock.extensions[0]!.origin, `${reg.host}/${namespace}/db`);

      const layout = join(home.home, "layouts", "db");
      await Deno.mkdir(join(home.home, "layouts"));
      await skopeo(
        "copy",
        "--all",
        "--src-tls-verify=false",
        `docker://${reg.host}/${namespace}/db:2.1.0`,
        `oci:${layout}:2.1.0`,
      );
      await reg.stop();
      clearLoadMemo();
      const fromLayout = await installWorkspace({
        config: {
          ...config,
          settings: {
            ...config.settings,
            extensions: { ...config.settings.extensions, layout_paths: [layout] },
            cache: { ...config.settings.cache, dir: join(home.home, "fresh-cache") },
          },
        },
        file,
        locked: true,
      });
      assert.equal(fromLayout.written, false, "the same content: the lock does not change");
      assert.equal(await Deno.readTextFile(first.lockPath), lockText);
      assert.equal(fromLayout.lock.extensions[0]!.digest, db.digest);
      assert.ok(fromLayout.paths["db@2.1.0"]!.startsWith(join(home.home, "fresh-cache")));
    } finally {
      clearLoadMemo();
      await home.cleanup();
    }
  });
}
