/**
 * The transport policy needs no network: a fetch spy shows what would be contacted, and
 * refusals happen before any request. The spy also plays an HTTPS registry that redirects to
 * plain HTTP, which a real registry will not do (fault injection).
 */

import assert from "node:assert/strict";
import {
  createRegistryClient,
  type FetchLike,
  getArtifactTags,
  memoryCredentials,
  testOciConnection,
} from "../../src/oci/mod.ts";
import { FAST_RETRY } from "./_helpers.ts";

function spy(respond: (url: URL) => Response = () => Response.json({ tags: ["1.0.0"] })) {
  const seen: URL[] = [];
  const fetchSpy: FetchLike = (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    seen.push(url);
    return Promise.resolve(respond(url));
  };
  return { fetch: fetchSpy, seen };
}

function settings(registry: string, insecure = false) {
  return {
    registry,
    namespace: "ns",
    auth_token_path: undefined,
    insecure,
    timeout: 5,
    retry_count: 0,
    ca_file: undefined,
    chunk_size: 1024,
  };
}

Deno.test("a non-local registry is spoken to over HTTPS only", async (t) => {
  const cases: [string, boolean, string, string][] = [
    // [oci] registry, insecure, reference, expected URL prefix
    ["registry.example.com", false, "aws", "https://registry.example.com/v2/ns/aws/"],
    [
      "localhost:5000",
      false,
      "registry.example.com/ns/aws",
      "https://registry.example.com/v2/ns/aws/",
    ],
    ["localhost:5000", false, "aws", "http://localhost:5000/v2/ns/aws/"],
    ["localhost:5000", false, "127.0.0.5:81/ns/aws", "http://127.0.0.5:81/v2/ns/aws/"],
    ["localhost:5000", false, "[::1]:5000/ns/aws", "http://[::1]:5000/v2/ns/aws/"],
    ["https://localhost:5000", false, "aws", "https://localhost:5000/v2/ns/aws/"],
    ["registry.example.com", true, "aws", "http://registry.example.com/v2/ns/aws/"],
  ];
  for (const [registry, insecure, ref, prefix] of cases) {
    await t.step(`${registry} insecure=${insecure} ${ref}`, async () => {
      const { fetch, seen } = spy();
      using client = createRegistryClient(settings(registry, insecure), {
        fetch,
        retry: FAST_RETRY,
      });
      assert.deepEqual(await getArtifactTags(client, ref), ["1.0.0"]);
      assert.equal(seen.length, 1);
      assert.ok(seen[0]!.href.startsWith(prefix), seen[0]!.href);
    });
  }
});

Deno.test("plain http:// to a non-local registry is refused before connecting (exit 2)", async () => {
  const { fetch, seen } = spy();
  using client = createRegistryClient(settings("http://registry.example.com"), { fetch });
  for (const attempt of [() => getArtifactTags(client, "aws"), () => testOciConnection(client)]) {
    await assert.rejects(attempt(), (error: unknown) => {
      const e = error as { code: string; exitCode: number; message: string };
      assert.equal(e.code, "INVALID_CONFIG");
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /Refusing plain HTTP to registry "registry\.example\.com"/);
      return true;
    });
  }
  assert.equal(seen.length, 0, "nothing was sent");
});

Deno.test("a redirect from HTTPS to plain HTTP is refused (exit 5)", async () => {
  const { fetch, seen } = spy((url) =>
    url.protocol === "https:"
      ? new Response(null, {
        status: 307,
        headers: { location: "http://127.0.0.1:1/v2/ns/aws/tags/list" },
      })
      : Response.json({ tags: ["stolen"] })
  );
  using client = createRegistryClient(settings("registry.example.com"), { fetch });
  await assert.rejects(getArtifactTags(client, "aws"), {
    code: "INSECURE_TRANSPORT",
    message: 'Refusing redirect from HTTPS "registry.example.com" to plain HTTP "127.0.0.1:1"',
  });
  assert.equal(seen.length, 1);
});

Deno.test("a cross-origin redirect drops the Authorization header", async () => {
  const headers: (string | null)[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(String(input));
    headers.push(new Headers(init?.headers).get("authorization"));
    if (url.host === "registry.example.com") {
      return Promise.resolve(
        new Response(null, { status: 302, headers: { location: "https://cdn.example.net/blob" } }),
      );
    }
    return Promise.resolve(Response.json({ tags: [] }));
  };
  using client = createRegistryClient(settings("registry.example.com"), {
    fetch,
    credentials: memoryCredentials({ "registry.example.com": { token: "static-token" } }),
  });
  assert.deepEqual(await getArtifactTags(client, "aws"), []);
  assert.deepEqual(headers, ["Bearer static-token", null]);
});
