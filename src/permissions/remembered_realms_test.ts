import assert from "node:assert/strict";
import { REALM_MEMORY_MS, rememberedRealmHosts } from "./remembered_realms.ts";

const URL_A = new URL("https://reg.example.com/");

async function withCache(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rememberedRealmHosts() asks again when the registry did not answer", async () => {
  await withCache(async (dir) => {
    let asked = 0;
    const down = () => (asked++, Promise.resolve({ hosts: [], answered: false }));
    await rememberedRealmHosts(dir, URL_A, down);
    await rememberedRealmHosts(dir, URL_A, down);
    assert.equal(asked, 2);
  });
});

Deno.test("rememberedRealmHosts() asks again after a day, and ignores a corrupt file", async () => {
  await withCache(async (dir) => {
    let asked = 0;
    const probe = () => (asked++, Promise.resolve({ hosts: ["a:443"], answered: true }));
    let now = Date.parse("2026-12-01T00:00:00Z");
    await rememberedRealmHosts(dir, URL_A, probe, () => now);
    now += REALM_MEMORY_MS - 1;
    await rememberedRealmHosts(dir, URL_A, probe, () => now);
    assert.equal(asked, 1);
    now += 2;
    await rememberedRealmHosts(dir, URL_A, probe, () => now);
    assert.equal(asked, 2);
    await Deno.writeTextFile(`${dir}/discovery/token-realms.json`, "{not json");
    assert.deepEqual(await rememberedRealmHosts(dir, URL_A, probe, () => now), ["a:443"]);
    assert.equal(asked, 3);
  });
});
