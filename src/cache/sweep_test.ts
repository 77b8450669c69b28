import assert from "node:assert/strict";
import { join } from "node:path";
import { entryLockId, SCRATCH_LOCK_ID } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { makeScratchDir } from "./scratch.ts";
import { countLeftovers, sweepLeftovers, sweepTmp } from "./sweep.ts";
import { fakeClock, listTree, withTempDir } from "./_testing.ts";

Deno.test("sweepTmp() removes only leftovers whose owner is gone", async () => {
  await withTempDir(async (root) => {
    const live = entryLockId({ type: "provider", name: "live", version: "1.0.0" });
    const dead = entryLockId({ type: "provider", name: "dead", version: "1.0.0" });
    await Deno.mkdir(join(root, "tmp"), { recursive: true });
    await Deno.mkdir(join(root, "tmp", `${live}.00000000000000aa.stage`));
    await Deno.writeTextFile(join(root, "tmp", `${live}.00000000000000bb.blob`), "x");
    await Deno.mkdir(join(root, "tmp", `${dead}.00000000000000cc.stage`));
    await Deno.writeTextFile(join(root, "tmp", `${dead}.00000000000000dd.blob`), "x");
    await Deno.writeTextFile(join(root, "tmp", "index.00000000000000ee.write"), "{}");
    await Deno.mkdir(join(root, "tmp", "git-tag-7b7a64429ce1abb0"));
    using _held = await acquireLock(root, live);
    const clock = fakeClock(new Date().toISOString());
    assert.equal(await sweepTmp(root, { now: clock.now }), 3);
    assert.deepEqual(await listTree(join(root, "tmp")), [
      `${live}.00000000000000aa.stage/`,
      `${live}.00000000000000bb.blob`,
      "git-tag-7b7a64429ce1abb0/",
    ]);
    clock.advance(2 * 60 * 60 * 1000);
    assert.equal(await sweepTmp(root, { now: clock.now }), 1);
    assert.deepEqual(await listTree(join(root, "tmp")), [
      `${live}.00000000000000aa.stage/`,
      `${live}.00000000000000bb.blob`,
    ]);
  });
});

Deno.test("sweepTmp() never removes a name the cache does not make, however old", async () => {
  await withTempDir(async (root) => {
    const names = [
      "notes.txt",
      "report-2024",
      "index.json",
      "entry-123.abc.stage", // not 24 + 16 hex digits
      "index.00000000000000ee.write.bak",
      "peek-", // no random suffix
    ];
    await Deno.mkdir(join(root, "tmp"));
    for (const name of names) await Deno.writeTextFile(join(root, "tmp", name), "mine");
    await Deno.mkdir(join(root, "tmp", "photos"));
    const clock = fakeClock("2000-01-01T00:00:00.000Z");
    clock.advance(30 * 365 * 24 * 60 * 60 * 1000);
    assert.equal(await sweepTmp(root, { now: clock.now }), 0);
    assert.deepEqual(await listTree(join(root, "tmp")), [...names, "photos/"].sort());
  });
});

Deno.test("scratch folders are swept once no live process holds one", async () => {
  await withTempDir(async (root) => {
    await using live = await makeScratchDir(root, "peek");
    await Deno.writeTextFile(join(live.path, "layer"), "12345");
    // A killed process's scratch folder looks exactly like this one, without a holder.
    const dead = join(root, "tmp", `${SCRATCH_LOCK_ID}.00000000000000ff.peek`);
    await Deno.mkdir(dead);
    await Deno.writeTextFile(join(dead, "layer"), "123");
    assert.deepEqual(await countLeftovers(root), { count: 2, bytes: 8 });
    assert.deepEqual(await sweepLeftovers(root), { count: 0, bytes: 0 });
    await live[Symbol.asyncDispose]();
    assert.deepEqual(await sweepLeftovers(root), { count: 1, bytes: 3 });
    assert.deepEqual(await listTree(join(root, "tmp")), []);
  });
});
