import assert from "node:assert/strict";
import { createAuthLayer } from "./auth.ts";
import { memoryCredentials } from "./credentials.ts";
import type { HttpRequest, Send } from "./http.ts";
import { TokenCache } from "./token_cache.ts";

const REGISTRY = "https://reg.example.com";
const CDN = "https://cdn.example.com";

/** A response as the base layer returns it after following a redirect to `url`. */
function answeredBy(url: string, response: Response): Response {
  Object.defineProperty(response, "url", { value: url });
  return response;
}

/** The registry redirects every blob GET to the CDN, which wants its own Bearer token. */
function cdnBehindRegistry(seen: { url: string; authorization: string | null }[]): Send {
  return (request: HttpRequest) => {
    const authorization = new Headers(request.headers).get("authorization");
    seen.push({ url: request.url.href, authorization });
    if (request.url.origin === REGISTRY || authorization !== "Bearer cdn-token") {
      // From the registry: the base layer followed the 307 and dropped Authorization.
      return Promise.resolve(answeredBy(
        `${CDN}/blob`,
        new Response("no", {
          status: 401,
          headers: { "www-authenticate": `Bearer realm="${CDN}/token",service="cdn"` },
        }),
      ));
    }
    return Promise.resolve(answeredBy(`${CDN}/blob`, new Response("blob")));
  };
}

Deno.test("a redirect target's challenge never gets the registry's credentials", async (t) => {
  const credentials = [
    ["Basic credentials", { username: "alice", password: "s3cret" }],
    ["a static token", { token: "registry-token" }],
  ] as const;
  for (const [name, credential] of credentials) {
    await t.step(`${name}, target not allowed: AUTH_REFUSED naming it`, async () => {
      const seen: { url: string; authorization: string | null }[] = [];
      const tokenRequests: HttpRequest[] = [];
      const layer = createAuthLayer(cdnBehindRegistry(seen), {
        credentials: memoryCredentials({ "reg.example.com": credential }),
        tokenCache: new TokenCache(),
        tokenSend: (request) => {
          tokenRequests.push(request);
          return Promise.resolve(Response.json({ token: "cdn-token" }));
        },
        insecure: false,
      });
      await assert.rejects(
        layer.send({ method: "GET", url: new URL(`${REGISTRY}/v2/ns/x/blobs/sha256:a`) }),
        {
          code: "AUTH_REFUSED",
          message: '"cdn.example.com" (redirected to by registry "reg.example.com") asks for ' +
            "credentials; the registry's are never sent to another host",
        },
      );
      assert.equal(tokenRequests.length, 0);
      assert.ok(seen.every((request) => request.url.startsWith(REGISTRY)));
    });

    await t.step(`${name}, target allowed: an anonymous token sent to it alone`, async () => {
      const seen: { url: string; authorization: string | null }[] = [];
      const tokenRequests: Headers[] = [];
      const layer = createAuthLayer(cdnBehindRegistry(seen), {
        credentials: memoryCredentials({ "reg.example.com": credential }),
        tokenCache: new TokenCache(),
        tokenSend: (request) => {
          tokenRequests.push(new Headers(request.headers));
          return Promise.resolve(Response.json({ token: "cdn-token" }));
        },
        insecure: false,
        redirectHosts: ["cdn.example.com"],
      });
      const response = await layer.send({
        method: "GET",
        url: new URL(`${REGISTRY}/v2/ns/x/blobs/sha256:a`),
      });
      assert.equal(await response.text(), "blob");
      assert.deepEqual(tokenRequests.map((h) => h.get("authorization")), [null]);
      assert.deepEqual(
        seen.filter((request) => request.authorization === "Bearer cdn-token").map((r) => r.url),
        [`${CDN}/blob`],
        "the CDN's token goes to the CDN only",
      );
      assert.equal(layer.describe(response)?.scheme, "anonymous");
    });
  }
});
