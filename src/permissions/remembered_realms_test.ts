import assert from "node:assert/strict";
import { join } from "node:path";
import { readRememberedRealms, REALMS_FILE, rememberRealm } from "./remembered_realms.ts";

Deno.test("readRememberedRealms() ignores a corrupt file or another format", async () => {
  const home = await Deno.makeTempDir();
  try {
    await rememberRealm(home, "https://r.example", ["a:443"]);
    await Deno.writeTextFile(join(home, REALMS_FILE), "{not json");
    assert.deepEqual(await readRememberedRealms(home), {});
    await Deno.writeTextFile(
      join(home, REALMS_FILE),
      JSON.stringify({ format: 1, registries: { "https://r.example": ["a:443"] } }),
    );
    assert.deepEqual(await readRememberedRealms(home), {});
    await rememberRealm(home, "https://r.example", ["b:443"]);
    assert.deepEqual(await readRememberedRealms(home), { "https://r.example": ["b:443"] });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
