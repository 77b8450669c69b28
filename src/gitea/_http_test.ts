import assert from "node:assert/strict";
import { apiUrl, type GiteaHttp, giteaSend, hasNextLink } from "./_http.ts";

Deno.test("hasNextLink() finds rel=next in Gitea's Link headers", async (t) => {
  const cases: [string, boolean][] = [
    [
      '<https://h/api/v1/orgs/x/repos?limit=2&page=2>; rel="next",<https://h/api/v1/orgs/x/repos?limit=2&page=5>; rel="last"',
      true,
    ],
    ['<https://h/a?page=1>; rel="first",<https://h/a?page=4>; rel="prev"', false],
    ["<https://h/a?page=2>; rel=next", true],
    ['<https://h/a?page=2>; rel="prev next"', true],
    ['<https://h/a?page=2>; title="next"', false],
    ["", false],
  ];
  for (const [header, expected] of cases) {
    await t.step(header || "(empty)", () => assert.equal(hasNextLink(header), expected));
  }
});

Deno.test("apiUrl() encodes segments but keeps slashes inside a file path", () => {
  const http: GiteaHttp = {
    baseUrl: new URL("https://example.com/gitea/"),
    token: undefined,
    insecure: false,
    send: giteaSend(fetch, 1000),
  };
  const url = apiUrl(http, ["repos", "org", "my repo", "raw", "ext/a b/extension.yaml"], {
    ref: "v1.0.0",
  });
  assert.equal(
    url.href,
    "https://example.com/gitea/api/v1/repos/org/my%20repo/raw/ext/a%20b/extension.yaml?ref=v1.0.0",
  );
});
