import assert from "node:assert/strict";
import { selectSources } from "./select_sources.ts";

Deno.test("selectSources() expands auto in auto_order, and takes one source as given", () => {
  assert.deepEqual(selectSources("auto", ["oci", "gitea", "local"]), [
    "oci",
    "gitea",
    "local",
    "oci-layout",
    "git",
  ]);
  assert.deepEqual(selectSources("auto", ["gitea"]), [
    "gitea",
    "local",
    "oci-layout",
    "oci",
    "git",
  ]);
  assert.deepEqual(selectSources("local", []), ["local"]);
  assert.deepEqual(selectSources("oci-layout", []), ["oci-layout"]);
});
