import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { blobLockId, entryLockId, keyString } from "./layout.ts";
import { blobOriginsPath } from "./blob_origins.ts";

const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

// Other processes (older builds included) meet on these names: they must stay the SHA-256
// of the same text, whatever computes it.
Deno.test("lock ids and origin files are named by the SHA-256 they always had", () => {
  for (
    const key of [
      { type: "provider", name: "aws", version: "1.2.3" },
      { type: "taskserv", name: "k8s.io_x-y", version: "v1.2.3-rc.1+b.5" },
    ] as const
  ) {
    assert.equal(entryLockId(key), `entry-${sha256Hex(keyString(key)).slice(0, 24)}`);
  }
  const digest = `sha256:${"ab".repeat(32)}`;
  assert.equal(blobLockId(digest), `blob-${sha256Hex(digest).slice(0, 24)}`);
  // A literal too: a test helper computing the hash the same wrong way could not hide it.
  assert.equal(
    entryLockId({ type: "provider", name: "aws", version: "1.0.0" }),
    "entry-32e7d836e3cab077a7303e7d",
  );
  assert.equal(
    blobOriginsPath("/c", "r:5000"),
    `/c/origins/${sha256Hex("r:5000").slice(0, 16)}.json`,
  );
});
