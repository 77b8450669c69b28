import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { startUiServer } from "./start_ui_server.ts";

Deno.test("startUiServer() shows the badges a signature lookup gives, and none without one", async () => {
  const home = await Deno.makeTempDir();
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    const discovery = { config, home, source: "examples" as const };
    const plain = await startUiServer({ discovery });
    try {
      const text = await (await fetch(plain.url)).text();
      assert.doesNotMatch(text, /badge (signed|unsigned)/);
    } finally {
      await plain.shutdown();
    }
    const seen: string[] = [];
    const signed = await startUiServer({
      discovery,
      signatures: (entries) => {
        seen.push(...entries.map((e) => e.name));
        return Promise.resolve(
          new Map(
            entries.map((
              e,
            ) => [`${e.source}/${e.type}/${e.name}@${e.version}`, e.name === "kubernetes"]),
          ),
        );
      },
    });
    try {
      const text = await (await fetch(signed.url)).text();
      assert.match(text, /data-name="kubernetes"[\s\S]*?<span class="badge signed">signed<\/span>/);
      assert.match(text, /<span class="badge unsigned">unsigned<\/span>/);
      const page = await (await fetch(new URL("/ext/examples/taskserv/kubernetes", signed.url)))
        .text();
      assert.match(page, /<span class="badge signed">signed<\/span>/);
      assert.ok(seen.includes("kubernetes"));
    } finally {
      await signed.shutdown();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("startUiServer() refuses a port already taken with a usage error", async () => {
  const home = await Deno.makeTempDir();
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const config = await loadConfig({ cwd: home, home, env: {} });
    await assert.rejects(
      startUiServer({
        discovery: { config, home, source: "examples" },
        port: (busy.addr as Deno.NetAddr).port,
      }),
      (error: Error & { code?: string }) =>
        error.code === "USAGE" && /already in use/.test(error.message),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
