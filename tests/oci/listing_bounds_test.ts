/**
 * Tag and catalog listings are bounded whatever a server sends. A fault server stands in
 * for a hostile registry (a real one does not send half a million tags in one page or an
 * endless chain of `Link` pages).
 */

import assert from "node:assert/strict";
import { getArtifactTags, listArtifacts, type RegistryClient } from "../../src/oci/mod.ts";
import { type FaultRoute, startFaultServer } from "../harness/fault_server.ts";
import { clientFor } from "./_helpers.ts";

async function withClient(
  routes: FaultRoute[],
  fn: (client: RegistryClient) => Promise<void>,
): Promise<void> {
  const server = await startFaultServer(routes);
  const client = clientFor(
    { url: server.url },
    { settings: { namespace: "ns", retry_count: 0 } },
  );
  try {
    await fn(client);
  } finally {
    client.close();
    await server.close();
  }
}

const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    headers: { "content-type": "application/json", ...headers },
  });

Deno.test("one page of 500,000 tags is refused with one clear error, not a stack overflow", async () => {
  const tags = Array.from({ length: 500_000 }, (_, i) => `0.0.${i}`);
  await withClient([{ path: "/v2/ns/big/tags/list", respond: () => json({ tags }) }], async (c) => {
    await assert.rejects(getArtifactTags(c, "big"), (error: Error & { code?: string }) => {
      assert.equal(error.code, "REGISTRY_ERROR");
      assert.match(error.message, /more than 100000 items for the tags of "ns\/big"/);
      return true;
    });
  });
});

Deno.test("an endless chain of Link pages stops at the bound", async () => {
  const page = (_: Request, { hit }: { hit: number }) =>
    json(
      { tags: Array.from({ length: 1000 }, (_, i) => `${hit}.0.${i}`) },
      { link: `</v2/ns/loop/tags/list?last=${hit}>; rel="next"` },
    );
  await withClient([{ path: /^\/v2\/ns\/loop\/tags\/list/, respond: page }], async (c) => {
    await assert.rejects(
      getArtifactTags(c, "loop", { limits: { maxItems: 5_000 } }),
      /more than 5000 items/,
    );
  });
  const catalog = (_: Request, { hit }: { hit: number }) =>
    json(
      { repositories: Array.from({ length: 100 }, (_, i) => `ns/r${hit}x${i}`) },
      { link: `</v2/_catalog?last=${hit}>; rel="next"` },
    );
  await withClient([{ path: /^\/v2\/_catalog/, respond: catalog }], async (c) => {
    // 100,000 repositories at 100 a page: the bound ends it after 1,000 pages.
    await assert.rejects(listArtifacts(c), /more than 100000 items for the catalog/);
  });
});
