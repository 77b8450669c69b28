import assert from "node:assert/strict";
import { sortTags } from "./tags.ts";

Deno.test("sortTags() puts semver tags first in version order, then the rest", async (t) => {
  const cases: [string[], string[]][] = [
    [["1.10.0", "1.2.0", "1.9.0"], ["1.2.0", "1.9.0", "1.10.0"]],
    [["latest", "1.0.0", "dev"], ["1.0.0", "dev", "latest"]],
    [["v1.0.0", "1.0.0", "0.9.0"], ["0.9.0", "1.0.0", "v1.0.0"]],
    [["1.0.0", "1.0.0-rc.1", "1.0.0_build.1"], ["1.0.0-rc.1", "1.0.0", "1.0.0_build.1"]],
    [[], []],
  ];
  for (const [input, expected] of cases) {
    await t.step(input.join(","), () => assert.deepEqual(sortTags(input), expected));
  }
});
