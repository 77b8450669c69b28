import assert from "node:assert/strict";
import { ProvisioningError } from "../errors.ts";
import type { HttpRequest } from "./http.ts";
import { backoffDelay, parseRetryAfter, type RetryPolicy, withRetry } from "./retry.ts";

function policy(delays: number[], retries = 3): RetryPolicy {
  return {
    retries,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    maxRetryAfterMs: 10_000,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    now: () => Date.parse("2025-01-01T00:00:00Z"),
  };
}

const request: HttpRequest = { method: "GET", url: new URL("http://127.0.0.1:1/v2/") };

function scripted(outcomes: (number | Error)[]) {
  let calls = 0;
  const send = () => {
    const outcome = outcomes[Math.min(calls++, outcomes.length - 1)]!;
    if (outcome instanceof Error) return Promise.reject(outcome);
    return Promise.resolve(new Response(outcome === 204 ? null : "body", { status: outcome }));
  };
  return { send, calls: () => calls };
}

Deno.test("withRetry() retries what may succeed later and nothing else", async (t) => {
  const unreachable = new ProvisioningError("UNREACHABLE", "Cannot reach");
  const cases: [string, (number | Error)[], number, number | string][] = [
    // name, outcomes, expected calls, expected final status or error code
    ["503 twice then 200", [503, 503, 200], 3, 200],
    ["429 then 200", [429, 200], 2, 200],
    ["408 then 200", [408, 200], 2, 200],
    ["network error then 200", [unreachable, 200], 2, 200],
    ["timeout then 200", [new ProvisioningError("TIMEOUT", "t"), 200], 2, 200],
    ["404 is final", [404, 200], 1, 404],
    ["401 is final", [401, 200], 1, 401],
    ["400 is final", [400, 200], 1, 400],
    ["501 is final", [501, 200], 1, 501],
    ["503 forever gives the last 503", [503], 4, 503],
    ["network error forever throws", [unreachable], 4, "UNREACHABLE"],
    [
      "auth refused is final",
      [new ProvisioningError("AUTH_REFUSED", "no"), 200],
      1,
      "AUTH_REFUSED",
    ],
  ];
  for (const [name, outcomes, calls, final] of cases) {
    await t.step(name, async () => {
      const script = scripted(outcomes);
      const send = withRetry(script.send, policy([]));
      if (typeof final === "number") {
        const res = await send(request);
        await res.body?.cancel();
        assert.equal(res.status, final);
      } else {
        await assert.rejects(send(request), { code: final });
      }
      assert.equal(script.calls(), calls);
    });
  }
});

Deno.test("withRetry() sends once when the request says retry: false", async () => {
  const script = scripted([503, 200]);
  const res = await withRetry(script.send, policy([]))({ ...request, retry: false });
  await res.body?.cancel();
  assert.equal(res.status, 503);
  assert.equal(script.calls(), 1);
});

Deno.test("withRetry() honours Retry-After seconds and dates up to the cap", async (t) => {
  const cases: [string, number][] = [
    ["2", 2000],
    ["0", 0],
    ["Wed, 01 Jan 2025 00:00:03 GMT", 3000],
    ["Tue, 31 Dec 2024 00:00:00 GMT", 0],
    ["10", 10_000],
  ];
  for (const [header, expected] of cases) {
    await t.step(header, async () => {
      const delays: number[] = [];
      let calls = 0;
      const send = withRetry(
        () =>
          Promise.resolve(
            calls++ === 0
              ? new Response("slow down", { status: 429, headers: { "retry-after": header } })
              : new Response("ok"),
          ),
        policy(delays),
      );
      const res = await send(request);
      assert.equal(await res.text(), "ok");
      assert.deepEqual(delays, [expected]);
    });
  }
});

Deno.test("withRetry() fails at once when Retry-After is beyond the cap, and says so when it waits", async (t) => {
  const cases: [string, number, string, string][] = [
    // name, status, Retry-After, expected code
    ["429 for a day", 429, "86400", "RATE_LIMITED"],
    ["429 until a date", 429, "Thu, 02 Jan 2025 00:00:00 GMT", "RATE_LIMITED"],
    ["503 for maintenance", 503, "3600", "REGISTRY_ERROR"],
  ];
  for (const [name, code, header, expected] of cases) {
    await t.step(name, async () => {
      const delays: number[] = [];
      let calls = 0;
      const send = withRetry(() => {
        calls++;
        return Promise.resolve(
          new Response("later", {
            status: code,
            headers: { "retry-after": header },
          }),
        );
      }, policy(delays));
      await assert.rejects(send(request), (error: ProvisioningError) => {
        assert.equal(error.code, expected);
        assert.equal(error.exitCode, 4);
        assert.match(
          error.message,
          /^Registry "127\.0\.0\.1:1" is (rate limiting|unavailable) \(HTTP \d+ to GET \/v2\/\) and asked to wait \d+ s, more than the 10 s this client waits$/,
        );
        assert.match(error.hint ?? "", /^Try again after 2025-01-0\dT\d\d:00:00Z$/);
        return true;
      });
      assert.equal(calls, 1, "no retry");
      assert.deepEqual(delays, [], "no wait");
    });
  }
  await t.step("a wait within the cap is one line", async () => {
    const lines: string[] = [];
    let calls = 0;
    const send = withRetry(
      () =>
        Promise.resolve(
          calls++ === 0
            ? new Response(null, { status: 429, headers: { "retry-after": "7" } })
            : new Response("ok"),
        ),
      { ...policy([]), onWait: (line) => lines.push(line) },
    );
    assert.equal(await (await send(request)).text(), "ok");
    assert.deepEqual(lines, ['"127.0.0.1:1" answered HTTP 429 and asked to wait 7 s; waiting']);
  });
});

Deno.test("withRetry() backs off exponentially with jitter", async () => {
  const delays: number[] = [];
  const send = withRetry(scripted([503]).send, policy(delays, 5));
  const res = await send(request);
  await res.body?.cancel();
  // random() = 0.5 → 75 % of min(1000, 100 * 2^n)
  assert.deepEqual(delays, [75, 150, 300, 600, 750]);
});

Deno.test("backoffDelay() stays within [ceiling / 2, ceiling]", () => {
  for (const random of [0, 0.3, 0.999]) {
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** attempt);
      const delay = backoffDelay(attempt, {
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => random,
      });
      assert.ok(delay >= ceiling / 2 && delay <= ceiling, `${attempt} ${random} ${delay}`);
    }
  }
});

Deno.test("parseRetryAfter() ignores what it cannot read", () => {
  assert.equal(parseRetryAfter(null, 0), undefined);
  assert.equal(parseRetryAfter("-1", 0), undefined);
  assert.equal(parseRetryAfter("later", 0), undefined);
});
