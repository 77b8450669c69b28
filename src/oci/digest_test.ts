import assert from "node:assert/strict";
import { createVerifyStream, digestOf } from "./digest.ts";

const hello = new TextEncoder().encode("hello world");

async function drain(chunks: Uint8Array[], expected: { digest: string; size?: number }) {
  const received: number[] = [];
  const stream = ReadableStream.from(chunks).pipeThrough(createVerifyStream(expected));
  for await (const chunk of stream) received.push(chunk.byteLength);
  return received;
}

Deno.test("createVerifyStream() passes bytes through when digest and size match", async () => {
  const received = await drain([hello.subarray(0, 5), hello.subarray(5)], {
    digest: digestOf(hello),
    size: hello.byteLength,
  });
  assert.deepEqual(received, [5, 6]);
});

Deno.test("createVerifyStream() fails wrong content", async (t) => {
  const cases: [string, Uint8Array[], { digest: string; size?: number }, string][] = [
    [
      "wrong digest",
      [hello],
      { digest: digestOf(new Uint8Array([1])), size: 11 },
      "DIGEST_MISMATCH",
    ],
    ["too short", [hello.subarray(0, 4)], { digest: digestOf(hello), size: 11 }, "SIZE_MISMATCH"],
    ["too long", [hello, hello], { digest: digestOf(hello), size: 11 }, "SIZE_MISMATCH"],
    ["wrong digest, no size", [hello], { digest: digestOf(new Uint8Array()) }, "DIGEST_MISMATCH"],
    ["sha512", [hello], { digest: `sha512:${"0".repeat(128)}`, size: 11 }, "DIGEST_MISMATCH"],
  ];
  for (const [name, chunks, expected, code] of cases) {
    await t.step(name, async () => {
      await assert.rejects(drain(chunks, expected), { code });
    });
  }
});

Deno.test("createVerifyStream() errors as soon as the size is exceeded", async () => {
  const received: number[] = [];
  let pulled = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      if (pulled > 100) controller.close();
      else controller.enqueue(new Uint8Array(10));
    },
  });
  const stream = source.pipeThrough(createVerifyStream({ digest: digestOf(hello), size: 25 }));
  await assert.rejects(async () => {
    for await (const chunk of stream) received.push(chunk.byteLength);
  }, { code: "SIZE_MISMATCH" });
  assert.deepEqual(received, [10, 10]);
  assert.ok(pulled < 10, `pulled ${pulled} chunks`);
});

Deno.test("createVerifyStream() refuses a malformed expected digest", () => {
  assert.throws(() => createVerifyStream({ digest: "md5:abc" }), { code: "INVALID_REFERENCE" });
});
