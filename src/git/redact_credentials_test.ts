import assert from "node:assert/strict";
import { redactCredentials } from "./redact_credentials.ts";

Deno.test("redactCredentials() hides user-info in every URL", async (t) => {
  const cases: [string, string][] = [
    ["https://alice:s3cret@h.example/x.git", "https://***@h.example/x.git"],
    ["git+https://tok3n@h.example/x.git", "git+https://***@h.example/x.git"],
    ["http://u:p@ss@127.0.0.1:8080/x", "http://***@127.0.0.1:8080/x"],
    ["a 'https://u:p@h/x' and 'http://v:q@h2/y'", "a 'https://***@h/x' and 'http://***@h2/y'"],
    ["HTTPS://U:P@H/x", "HTTPS://***@H/x"],
    ["git://127.0.0.1:9418/x.git", "git://127.0.0.1:9418/x.git"],
    ["mail me at a@b.example", "mail me at a@b.example"],
    ["https://h.example/x@y", "https://h.example/x@y"],
  ];
  for (const [input, expected] of cases) {
    await t.step(`${JSON.stringify(input)}`, () => {
      assert.equal(redactCredentials(input), expected);
    });
  }
});
