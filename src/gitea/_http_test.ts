import assert from "node:assert/strict";
import { apiUrl, giteaGet, type GiteaHttp, giteaSend } from "./_http.ts";
import type { ProvisioningError } from "../errors.ts";
import { defaultRetryPolicy } from "../oci/client.ts";

Deno.test("apiUrl() encodes segments but keeps slashes inside a file path", () => {
  const http: GiteaHttp = {
    baseUrl: new URL("https://example.com/gitea/"),
    token: undefined,
    insecure: false,
    send: giteaSend({ fetch, timeoutMs: 1000, baseUrl: new URL("https://example.com/gitea/") }),
  };
  const url = apiUrl(http, ["repos", "org", "my repo", "raw", "ext/a b/extension.yaml"], {
    ref: "v1.0.0",
  });
  assert.equal(
    url.href,
    "https://example.com/gitea/api/v1/repos/org/my%20repo/raw/ext/a%20b/extension.yaml?ref=v1.0.0",
  );
});

Deno.test("giteaSend() names the redirect target, not [gitea] url, when it cannot connect", async (t) => {
  const baseUrl = new URL("https://git.example.com/");
  const cases = [
    {
      name: "refused by Deno: UNSUPPORTED, hint [gitea] redirect_hosts",
      thrown: new Deno.errors.NotCapable('Requires net access to "bucket.example.com:443"'),
      code: "UNSUPPORTED",
      message:
        'Cannot connect to "bucket.example.com", where Gitea "git.example.com" redirected the download: network access is not permitted',
      hint: /add "bucket\.example\.com" to \[gitea\] redirect_hosts/,
    },
    {
      name: "network failure: UNREACHABLE, hint SERVE_DIRECT",
      thrown: new TypeError("error sending request: connection refused"),
      code: "UNREACHABLE",
      message:
        'Cannot reach "bucket.example.com", where Gitea "git.example.com" redirected the download',
      hint: /SERVE_DIRECT/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const send = giteaSend({
        fetch: () => Promise.reject(c.thrown),
        timeoutMs: 1000,
        baseUrl,
      });
      const url = new URL("https://bucket.example.com/repo-archive/x.tar.gz");
      await assert.rejects(send({ method: "GET", url }), (error: ProvisioningError) => {
        assert.equal(error.code, c.code);
        assert.equal(error.message, c.message);
        assert.match(error.hint ?? "", c.hint);
        assert.doesNotMatch(error.hint ?? "", /\[gitea\] url/);
        return true;
      });
    });
  }
});

Deno.test("giteaSend() retries 5xx and network errors like the registry client", async () => {
  let calls = 0;
  const send = giteaSend({
    fetch: () => {
      calls++;
      if (calls === 1) return Promise.reject(new TypeError("connection reset"));
      return Promise.resolve(
        new Response(calls === 2 ? null : "[]", { status: calls === 2 ? 503 : 200 }),
      );
    },
    timeoutMs: 1000,
    baseUrl: new URL("https://git.example.com/"),
    retry: defaultRetryPolicy({ retry_count: 3, timeout: 1 }, { sleep: () => Promise.resolve() }),
  });
  const response = await send({ method: "GET", url: new URL("https://git.example.com/api/v1/") });
  assert.equal(response.status, 200);
  assert.equal(calls, 3);
});

Deno.test("giteaSend() names Gitea when a Retry-After is longer than the client waits", async () => {
  const send = giteaSend({
    fetch: () =>
      Promise.resolve(new Response(null, { status: 429, headers: { "retry-after": "86400" } })),
    timeoutMs: 1000,
    baseUrl: new URL("https://git.example.com/"),
    retry: defaultRetryPolicy({ retry_count: 3, timeout: 1 }, { label: "Gitea" }),
  });
  await assert.rejects(
    send({ method: "GET", url: new URL("https://git.example.com/api/v1/orgs/x/repos") }),
    {
      code: "RATE_LIMITED",
      message: 'Gitea "git.example.com" is rate limiting (HTTP 429 to GET /api/v1/orgs/x/repos) ' +
        "and asked to wait 86400 s, more than the 60 s this client waits",
    },
  );
});

Deno.test("giteaSend() names a refused certificate as the registry client does", async () => {
  const send = giteaSend({
    fetch: () =>
      Promise.reject(
        new TypeError("client error (Connect)", {
          cause: "invalid peer certificate: UnknownIssuer",
        }),
      ),
    timeoutMs: 1000,
    baseUrl: new URL("https://git.example.com/"),
  });
  await assert.rejects(send({ method: "GET", url: new URL("https://git.example.com/api/v1/") }), {
    code: "INSECURE_TRANSPORT",
    message:
      'Cannot verify the TLS certificate of Gitea "git.example.com": its certificate is signed by a CA this machine does not trust',
  });
});

Deno.test("giteaGet() follows a redirect to another server without the token", async () => {
  const seen: (string | null)[] = [];
  const storage = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push(request.headers.get("authorization"));
    return new Response("archive");
  });
  const gitea = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push(request.headers.get("authorization"));
    return Response.redirect(`http://127.0.0.1:${storage.addr.port}/bucket/x.tar.gz`, 302);
  });
  try {
    const baseUrl = new URL(`http://127.0.0.1:${gitea.addr.port}/`);
    const http: GiteaHttp = {
      baseUrl,
      token: "s3cret",
      insecure: false,
      send: giteaSend({ fetch, timeoutMs: 5000, baseUrl }),
    };
    const response = await giteaGet(
      http,
      apiUrl(http, ["repos", "o", "r", "archive", "v1.tar.gz"]),
      () => {
        throw new Error("not a 404");
      },
    );
    assert.equal(await response.text(), "archive");
    assert.deepEqual(seen, ["token s3cret", null]);
  } finally {
    await gitea.shutdown();
    await storage.shutdown();
  }
});
