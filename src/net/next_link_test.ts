import assert from "node:assert/strict";
import { nextLink } from "./next_link.ts";

Deno.test("nextLink() resolves the rel=next target against the request URL", async (t) => {
  const base = new URL("http://127.0.0.1:5000/v2/_catalog?n=2");
  const cases: [string | null, string | undefined][] = [
    ['</v2/_catalog?last=b&n=2>; rel="next"', "http://127.0.0.1:5000/v2/_catalog?last=b&n=2"],
    ["<https://other.example/v2/x?p=2>; rel=next", "https://other.example/v2/x?p=2"],
    ['<page2>; rel="next"', "http://127.0.0.1:5000/v2/page2"],
    ['</a>; rel="prev", </b>; rel="next"', "http://127.0.0.1:5000/b"],
    ['</a>; title="x, y"; rel="next"', "http://127.0.0.1:5000/a"],
    ['</a>; rel="prev"', undefined],
    [null, undefined],
    ["garbage", undefined],
  ];
  for (const [header, expected] of cases) {
    await t.step(String(header), () => assert.equal(nextLink(header, base)?.href, expected));
  }
});

Deno.test("nextLink() finds rel=next in Gitea's Link headers", async (t) => {
  const page = new URL("https://h/api/v1/orgs/x/repos?limit=2&page=1");
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
    await t.step(header || "(empty)", () => {
      assert.equal(nextLink(header, page) !== undefined, expected);
    });
  }
});
