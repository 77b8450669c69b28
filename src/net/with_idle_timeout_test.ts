import assert from "node:assert/strict";
import { ProvisioningError } from "../errors.ts";
import type { HttpRequest, Send } from "../oci/http.ts";
import { replaceBody, withIdleTimeout } from "./with_idle_timeout.ts";

const URL_X = new URL("http://127.0.0.1:5000/v2/ns/x/blobs/sha256:abc");
const get: HttpRequest = { method: "GET", url: URL_X };

/** A body that sends `head`, then nothing, and ignores aborts (like a collected Response). */
function deafBody(head: string, cancelled: unknown[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(head));
    },
    cancel(reason) {
      cancelled.push(reason);
    },
  });
}

Deno.test("withIdleTimeout() ends a stall in every phase with one TIMEOUT line", async (t) => {
  await t.step("no response headers: the inner request is aborted", async () => {
    let seen: AbortSignal | undefined;
    const inner: Send = (request) => {
      seen = request.signal;
      return new Promise(() => {});
    };
    const send = withIdleTimeout(inner, { timeoutMs: 50, label: "Registry", hint: "h" });
    await assert.rejects(send(get), (error: ProvisioningError) => {
      assert.equal(error.code, "TIMEOUT");
      assert.equal(error.exitCode, 4);
      assert.equal(
        error.message,
        'Registry "127.0.0.1:5000" did not answer GET /v2/ns/x/blobs/sha256:abc within 0.05 s',
      );
      assert.equal(error.hint, "h");
      return true;
    });
    assert.equal(seen?.aborted, true);
  });

  await t.step("a body that ignores the abort is cancelled and errors", async () => {
    const cancelled: unknown[] = [];
    const inner: Send = () =>
      Promise.resolve(
        new Response(deafBody("0123", cancelled), { headers: { "content-length": "10" } }),
      );
    const response = await withIdleTimeout(inner, { timeoutMs: 50, label: "Registry" })(get);
    await assert.rejects(response.arrayBuffer(), {
      code: "TIMEOUT",
      message: 'Registry "127.0.0.1:5000" stopped sending the body of ' +
        "GET /v2/ns/x/blobs/sha256:abc for 0.05 s (4 of 10 bytes received)",
    });
    assert.equal(cancelled.length, 1, "the inner body's reader was cancelled");
  });

  await t.step("a redirect target that stalls is named as such", async () => {
    const inner: Send = () => {
      const response = new Response(deafBody("", []));
      Object.defineProperty(response, "url", { value: "https://cdn.example.com/blob?sig=s" });
      return Promise.resolve(response);
    };
    const response = await withIdleTimeout(inner, { timeoutMs: 50, label: "Registry" })(get);
    await assert.rejects(response.text(), {
      code: "TIMEOUT",
      message:
        /^"cdn\.example\.com" \(redirected to by registry "127\.0\.0\.1:5000"\) stopped sending the body of GET \/v2\/ns\/x\/blobs\/sha256:abc for 0\.05 s \(0 bytes received\)$/,
    });
  });
});

Deno.test("withIdleTimeout() passes answers through and maps broken bodies", async (t) => {
  await t.step("status, headers, url and body are kept", async () => {
    const inner: Send = () => {
      const response = new Response("hello", { status: 201, headers: { "x-a": "1" } });
      Object.defineProperty(response, "url", { value: "http://127.0.0.1:9/final" });
      return Promise.resolve(response);
    };
    const response = await withIdleTimeout(inner, { timeoutMs: 1000 })(get);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-a"), "1");
    assert.equal(response.url, "http://127.0.0.1:9/final");
    assert.equal(await response.text(), "hello");
  });

  await t.step("a dropped connection goes through mapBodyError", async () => {
    const inner: Send = () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            pull: (controller) => controller.error(new TypeError("connection reset")),
          }),
        ),
      );
    const send = withIdleTimeout(inner, {
      timeoutMs: 1000,
      mapBodyError: (_error, url) => new ProvisioningError("UNREACHABLE", `broke: ${url.host}`),
    });
    await assert.rejects((await send(get)).text(), {
      code: "UNREACHABLE",
      message: "broke: 127.0.0.1:5000",
    });
  });

  await t.step("timeoutMs 0 sets no timer", async () => {
    let resolve = (_: Response) => {};
    const inner: Send = () => new Promise((r) => resolve = r);
    const pending = withIdleTimeout(inner, { timeoutMs: 0 })(get);
    resolve(new Response("late"));
    assert.equal(await (await pending).text(), "late");
  });
});

Deno.test("replaceBody() keeps an empty url empty", async () => {
  const replaced = replaceBody(new Response(null, { status: 204 }), null);
  assert.equal(replaced.url, "");
  assert.equal(replaced.status, 204);
  await replaced.body?.cancel();
});
