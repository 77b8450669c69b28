import assert from "node:assert/strict";
import { parseChallenges } from "./challenge.ts";

Deno.test("parseChallenges() reads WWW-Authenticate headers", async (t) => {
  const cases: [string, ReturnType<typeof parseChallenges>][] = [
    ['Basic realm="test-realm"', [{ scheme: "basic", params: { realm: "test-realm" } }]],
    [
      'Bearer realm="https://auth.io/token",service="reg",scope="repository:a/b:pull,push"',
      [{
        scheme: "bearer",
        params: {
          realm: "https://auth.io/token",
          service: "reg",
          scope: "repository:a/b:pull,push",
        },
      }],
    ],
    [
      'BEARER Realm = "http://x/t" , Error="invalid_token"',
      [{ scheme: "bearer", params: { realm: "http://x/t", error: "invalid_token" } }],
    ],
    [
      'Basic realm="a, b", Bearer realm="http://x/t",scope="repository:n:pull"',
      [
        { scheme: "basic", params: { realm: "a, b" } },
        { scheme: "bearer", params: { realm: "http://x/t", scope: "repository:n:pull" } },
      ],
    ],
    ['Bearer realm="say \\"hi\\"",service=reg', [
      { scheme: "bearer", params: { realm: 'say "hi"', service: "reg" } },
    ]],
    ["Negotiate", [{ scheme: "negotiate", params: {} }]],
    ["", []],
  ];
  for (const [header, expected] of cases) {
    await t.step(header || "(empty)", () => assert.deepEqual(parseChallenges(header), expected));
  }
  await t.step("null", () => assert.deepEqual(parseChallenges(null), []));
});

Deno.test("parseChallenges() stops on garbage without looping", () => {
  for (const header of ['Bearer realm="unterminated', "=,=,=", 'Bearer ,,, "x"', "Basic abc=="]) {
    const challenges = parseChallenges(header);
    assert.ok(challenges.length <= 2, header);
  }
});
