import assert from "node:assert/strict";
import { stall, stallBody, startFaultServer, status } from "./fault_server.ts";

Deno.test("startFaultServer() walks each route's responders by hit, repeating the last", async () => {
  const server = await startFaultServer([
    { method: "GET", path: "/v2/", respond: [status(503), status(503), status(200, "ok")] },
    {
      path: /^\/v2\/(.+)\/tags\/list/,
      respond: (_req, { match, hit }) => Response.json({ name: match?.[1], hit }),
    },
  ]);
  try {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${server.url}/v2/`);
      await res.body?.cancel();
      codes.push(res.status);
    }
    assert.deepEqual(codes, [503, 503, 200, 200]);
    const tags = await fetch(`${server.url}/v2/ns/x/tags/list?n=2`);
    assert.deepEqual(await tags.json(), { name: "ns/x", hit: 0 });
    const post = await fetch(`${server.url}/v2/`, { method: "POST" });
    await post.body?.cancel();
    assert.equal(post.status, 404, "a method mismatch falls through to 404");
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [...Array(4).fill("GET /v2/"), "GET /v2/ns/x/tags/list?n=2", "POST /v2/"],
    );
  } finally {
    await server.close();
  }
});

Deno.test("startFaultServer() gives responders an absolute origin", async () => {
  const server = await startFaultServer((_req, { origin }) =>
    new Response(null, { status: 202, headers: { location: `${origin}/upload?id=1` } })
  );
  try {
    const res = await fetch(`${server.url}/v2/ns/x/blobs/uploads/`, { method: "POST" });
    await res.body?.cancel();
    assert.equal(res.headers.get("location"), `${server.url}/upload?id=1`);
  } finally {
    await server.close();
  }
});

Deno.test("stall() hangs until the client gives up; close() ends pending stalls", async (t) => {
  await t.step("client timeout", async () => {
    const server = await startFaultServer(stall());
    await assert.rejects(fetch(server.url, { signal: AbortSignal.timeout(100) }));
    await server.close();
  });
  await t.step("server close while stalled", async () => {
    const server = await startFaultServer(stall());
    const pending = fetch(server.url).then(async (res) => {
      await res.body?.cancel();
      return res.status;
    }, () => "failed");
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await server.close();
    await pending;
  });
});

Deno.test("stallBody() sends the head, then stalls mid-body", async () => {
  const server = await startFaultServer(stallBody("partial", { "content-length": "100" }));
  try {
    const controller = new AbortController();
    const res = await fetch(server.url, { signal: controller.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.equal(new TextDecoder().decode(first.value), "partial");
    const next = reader.read();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(next);
  } finally {
    await server.close();
  }
});
