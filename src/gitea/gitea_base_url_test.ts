import assert from "node:assert/strict";
import { giteaBaseUrl } from "./gitea_base_url.ts";

Deno.test("giteaBaseUrl() normalises accepted URLs", async (t) => {
  const cases: [string, string][] = [
    ["https://git.example.com", "https://git.example.com/"],
    ["https://git.example.com/", "https://git.example.com/"],
    ["https://example.com/gitea", "https://example.com/gitea/"],
    ["https://example.com/gitea/api/v1/", "https://example.com/gitea/"],
    ["https://git.example.com/?x=1#y", "https://git.example.com/"],
    ["http://localhost:3000", "http://localhost:3000/"],
    ["http://127.1.2.3:3000", "http://127.1.2.3:3000/"],
    ["http://[::1]:3000", "http://[::1]:3000/"],
  ];
  for (const [input, expected] of cases) {
    await t.step(input, () => assert.equal(giteaBaseUrl(input).href, expected));
  }
});

Deno.test("giteaBaseUrl() refuses unsafe or unusable URLs", async (t) => {
  const cases: [string, string][] = [
    ["http://git.example.com", "INSECURE_TRANSPORT"],
    ["http://192.168.1.10:3000", "INSECURE_TRANSPORT"],
    ["http://localhost.example.com", "INSECURE_TRANSPORT"],
    ["https://user:pw@git.example.com", "INVALID_CONFIG"],
    ["ftp://git.example.com", "INVALID_CONFIG"],
    ["git.example.com", "INVALID_CONFIG"],
  ];
  for (const [input, code] of cases) {
    await t.step(`${input} → ${code}`, () => assert.throws(() => giteaBaseUrl(input), { code }));
  }
});

Deno.test("giteaBaseUrl() allows plain HTTP anywhere only when insecure", () => {
  assert.equal(giteaBaseUrl("http://git.lan", { insecure: true }).href, "http://git.lan/");
});
