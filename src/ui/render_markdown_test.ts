import assert from "node:assert/strict";
import { renderMarkdown } from "./render_markdown.ts";

const HOSTILE: [string, string][] = [
  ["an inline script", "<script>alert(1)</script>"],
  ["an image's onerror", `<img src="x" onerror="alert(1)">`],
  ["upper-case handlers", `<IMG SRC=x ONERROR=alert(1)>`],
  ["a javascript: link in HTML", `<a href="javascript:alert(1)">x</a>`],
  ["a javascript: link in Markdown", "[x](javascript:alert(1))"],
  ["a mixed-case, entity-encoded javascript: link", `<a href="JaVa&#115;cript:alert(1)">x</a>`],
  ["a data: link", `<a href="data:text/html,<script>alert(1)</script>">x</a>`],
  ["an iframe", `<iframe src="https://example.com"></iframe>`],
  ["an svg with onload", `<svg onload="alert(1)"><circle r="1"/></svg>`],
  ["a style element", "<style>body{display:none}</style>"],
  ["a style attribute", `<p style="background:url(javascript:alert(1))">x</p>`],
  ["a form", `<form action="/pull" method="post"><button>go</button></form>`],
  ["a meta refresh", `<meta http-equiv="refresh" content="0;url=https://example.com">`],
  ["an object", `<object data="x.swf"></object>`],
  ["a base element", `<base href="https://example.com/">`],
];

Deno.test("renderMarkdown() drops every way raw HTML could run script or act", async (t) => {
  for (const [label, markdown] of HOSTILE) {
    await t.step(label, async () => {
      const out = (await renderMarkdown(`before\n\n${markdown}\n\nafter`)).html;
      assert.doesNotMatch(out, /<script|<iframe|<svg|<style|<form|<meta|<object|<base/i);
      assert.doesNotMatch(out, /\son[a-z]+\s*=/i, "no event handler attribute");
      assert.doesNotMatch(out, /href="(?!https?:|mailto:)/i, "links only http, https, mailto");
      assert.doesNotMatch(out, /style=/i);
      assert.match(out, /<p>before<\/p>/);
      assert.match(out, /<p>after<\/p>/);
    });
  }
});

Deno.test("renderMarkdown() keeps ordinary Markdown", async () => {
  const out = (await renderMarkdown(
    "# Title\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```sh\necho <hi>\n```\n\n" +
      "[site](https://example.com) ![logo](https://example.com/l.png)\n\n- [x] done\n",
  )).html;
  assert.match(out, /<h1>Title<\/h1>/);
  assert.match(out, /<table>/);
  assert.match(out, /<code class="language-sh">echo &lt;hi&gt;/);
  assert.match(out, /<a href="https:\/\/example.com" rel="noopener noreferrer nofollow">site<\/a>/);
  assert.match(out, /<img src="https:\/\/example.com\/l.png" alt="logo" \/>/);
  assert.match(out, /<input checked disabled type="checkbox" \/> done/);
});
