import assert from "node:assert/strict";
import { didYouMean } from "./_did_you_mean.ts";

const KNOWN = ["oci", "cache", "oci.registry", "oci.timeout", "extensions.paths", "cache.dir"];

Deno.test("didYouMean() suggests the closest known key, or nothing", async (t) => {
  const cases = [
    { unknown: "oci.regsitry", want: "oci.registry" },
    { unknown: "oci.timout", want: "oci.timeout" },
    { unknown: "ocii", want: "oci" },
    { unknown: "cache.paths", want: "extensions.paths" },
    { unknown: "registry", want: "oci.registry" },
    { unknown: "OCI.Timeout", want: "oci.timeout" },
    { unknown: "frobnicate", want: undefined },
    { unknown: "x", want: undefined },
  ];
  for (const { unknown, want } of cases) {
    await t.step(unknown, () => assert.equal(didYouMean(unknown, KNOWN), want));
  }
});
