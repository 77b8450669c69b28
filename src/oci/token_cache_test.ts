import assert from "node:assert/strict";
import { mergeScopes, TokenCache } from "./token_cache.ts";

Deno.test("mergeScopes() merges actions per resource and sorts", async (t) => {
  const cases: [string[], string[]][] = [
    [["repository:a:pull", "repository:a:pull"], ["repository:a:pull"]],
    [["repository:a:push", "repository:a:pull"], ["repository:a:pull,push"]],
    [["repository:a:pull repository:b:pull"], ["repository:a:pull", "repository:b:pull"]],
    [["registry:catalog:*"], ["registry:catalog:*"]],
    [["repository:host:5000/a:pull"], ["repository:host:5000/a:pull"]],
    [[], []],
  ];
  for (const [input, expected] of cases) {
    await t.step(input.join(" ") || "(none)", () => assert.deepEqual(mergeScopes(input), expected));
  }
});

Deno.test("TokenCache keys by origin, realm, service and merged scopes and drops tokens before expiry", () => {
  let now = 1_000_000;
  const cache = new TokenCache(() => now);
  const r1 = { origin: "http://r:1", realm: "http://auth/token", service: "r" };
  cache.set(r1, ["repository:a:push", "repository:a:pull"], "T1", 100);
  assert.equal(cache.get(r1, ["repository:a:pull,push"]), "T1");
  assert.equal(cache.get({ ...r1, origin: "http://r:2" }, ["repository:a:pull,push"]), undefined);
  assert.equal(cache.get({ ...r1, origin: "https://r:1" }, ["repository:a:pull,push"]), undefined);
  assert.equal(
    cache.get({ ...r1, realm: "http://other/token" }, ["repository:a:pull,push"]),
    undefined,
  );
  assert.equal(cache.get({ ...r1, service: "s" }, ["repository:a:pull,push"]), undefined);
  assert.equal(cache.get(r1, ["repository:a:pull"]), undefined);
  now += 89_000; // 10 % margin: 100 s token is dropped after 90 s
  assert.equal(cache.get(r1, ["repository:a:pull,push"]), "T1");
  now += 2_000;
  assert.equal(cache.get(r1, ["repository:a:pull,push"]), undefined);
  assert.equal(cache.hits, 2);
  assert.equal(cache.stores, 1);
});
