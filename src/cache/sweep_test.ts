import assert from "node:assert/strict";
import { join } from "node:path";
import { entryLockId } from "./layout.ts";
import { acquireLock } from "./lock.ts";
import { sweepTmp } from "./sweep.ts";
import { fakeClock, listTree, withTempDir } from "./_testing.ts";

Deno.test("sweepTmp() removes only leftovers whose owner is gone", async () => {
  await withTempDir(async (root) => {
    const live = entryLockId({ type: "provider", name: "live", version: "1.0.0" });
    const dead = entryLockId({ type: "provider", name: "dead", version: "1.0.0" });
    await Deno.mkdir(join(root, "tmp"), { recursive: true });
    await Deno.mkdir(join(root, "tmp", `${live}.aaaa.stage`));
    await Deno.writeTextFile(join(root, "tmp", `${live}.bbbb.blob`), "x");
    await Deno.mkdir(join(root, "tmp", `${dead}.cccc.stage`));
    await Deno.writeTextFile(join(root, "tmp", `${dead}.dddd.blob`), "x");
    await Deno.writeTextFile(join(root, "tmp", "index.eeee.write"), "{}");
    await Deno.writeTextFile(join(root, "tmp", "foreign-file"), "x");
    using _held = await acquireLock(root, live);
    const clock = fakeClock(new Date().toISOString());
    assert.equal(await sweepTmp(root, { now: clock.now }), 3);
    assert.deepEqual(await listTree(join(root, "tmp")), [
      `${live}.aaaa.stage/`,
      `${live}.bbbb.blob`,
      "foreign-file",
    ]);
    clock.advance(2 * 60 * 60 * 1000);
    assert.equal(await sweepTmp(root, { now: clock.now }), 1);
    assert.deepEqual(await listTree(join(root, "tmp")), [
      `${live}.aaaa.stage/`,
      `${live}.bbbb.blob`,
    ]);
  });
});
