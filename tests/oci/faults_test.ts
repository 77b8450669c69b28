/**
 * Fault injection with small `Deno.serve` servers (tests/harness/fault_server.ts) — only for
 * what a real registry will not do: corrupt or oversized bytes, 503s, stalls, 429 with
 * `Retry-After`, `Link` pagination distribution omits, relative upload `Location`s, a broken
 * token endpoint, a revoked token. Normal paths are tested against the real registry.
 */

import assert from "node:assert/strict";
import {
  type FaultRoute,
  stall,
  stallBody,
  startFaultServer,
  status,
} from "../harness/fault_server.ts";
import {
  createRegistryClient,
  digestOf,
  getArtifactManifest,
  getArtifactTags,
  isOciAvailable,
  listArtifacts,
  MEDIA_TYPE_EXTENSION_CONFIG,
  MEDIA_TYPE_OCI_MANIFEST,
  memoryCredentials,
  pullArtifact,
  pushBlob,
  type RegistryClient,
  type RegistryClientOptions,
  type RegistryClientSettings,
  RegistryResponseError,
  testOciConnection,
} from "../../src/oci/mod.ts";
import { whileCollectingGarbage } from "../harness/collect_garbage.ts";
import { bytesSource, FAST_RETRY, printedForms } from "./_helpers.ts";

const SECRET = "fault-S3cret-never-printed";

async function withServer(
  routes: FaultRoute[],
  fn: (
    client: RegistryClient,
    server: Awaited<ReturnType<typeof startFaultServer>>,
  ) => Promise<void>,
  settings: Partial<RegistryClientSettings> = {},
  options: RegistryClientOptions = {},
): Promise<void> {
  const server = await startFaultServer(routes);
  const client = createRegistryClient({
    registry: server.url,
    namespace: "ns",
    auth_token_path: undefined,
    insecure: false,
    timeout: 10,
    retry_count: 3,
    ca_file: undefined,
    chunk_size: 1024 * 1024,
    ...settings,
  }, { retry: FAST_RETRY, credentials: memoryCredentials({}), ...options });
  try {
    await fn(client, server);
  } finally {
    client.close();
    await server.close();
  }
}

/** Routes serving one artifact whose layer the caller serves (config and manifest are right). */
function artifactRoutes(layer: Uint8Array, layerRoute: FaultRoute["respond"]): FaultRoute[] {
  const config = new TextEncoder().encode(JSON.stringify({ extension: { name: "x" } }));
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    config: {
      mediaType: MEDIA_TYPE_EXTENSION_CONFIG,
      digest: digestOf(config),
      size: config.byteLength,
    },
    layers: [{
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: digestOf(layer),
      size: layer.byteLength,
    }],
  });
  return [
    {
      path: "/v2/ns/x/manifests/1.0.0",
      respond: () =>
        new Response(manifest, { headers: { "content-type": MEDIA_TYPE_OCI_MANIFEST } }),
    },
    { path: `/v2/ns/x/blobs/${digestOf(config)}`, respond: () => new Response(config) },
    { path: `/v2/ns/x/blobs/${digestOf(layer)}`, respond: layerRoute },
  ];
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.byteLength;
  return n;
}

Deno.test("a corrupted or oversized blob fails the stream with an integrity error (exit 5)", async (t) => {
  const layer = new Uint8Array(64 * 1024).fill(42);
  const corrupted = layer.slice();
  corrupted[1000] = 0;
  const cases: [string, FaultRoute["respond"], string, RegExp][] = [
    [
      "same size, other bytes",
      () => new Response(corrupted),
      "DIGEST_MISMATCH",
      /Digest mismatch for blob/,
    ],
    [
      "endless stream (chunked, no Content-Length)",
      () =>
        new Response(ReadableStream.from((function* () {
          for (let i = 0; i < 1000; i++) yield new Uint8Array(16 * 1024);
        })())),
      "SIZE_MISMATCH",
      /expected 65536 bytes, got more than 65536/,
    ],
    [
      "short stream",
      () => new Response(ReadableStream.from([layer.subarray(0, 100)])),
      "SIZE_MISMATCH",
      /got 100/,
    ],
    [
      "wrong Content-Length",
      () => new Response(layer.subarray(0, 10)),
      "SIZE_MISMATCH",
      /registry announced 10/,
    ],
  ];
  for (const [name, respond, code, message] of cases) {
    await t.step(name, async () => {
      await withServer(artifactRoutes(layer, respond), async (client) => {
        const pulled = await pullArtifact(client, "x:1.0.0");
        assert.deepEqual(pulled.config.value, { extension: { name: "x" } });
        await assert.rejects(
          async () => await readAll(await pulled.layers[0]!.open()),
          (error: unknown) => {
            const e = error as { code: string; exitCode: number; message: string };
            assert.equal(e.code, code);
            assert.equal(e.exitCode, 5);
            assert.match(e.message, message);
            return true;
          },
        );
      });
    });
  }
});

Deno.test("a manifest fetched by digest must match it, and manifests are capped at 4 MiB", async (t) => {
  const body = JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE_OCI_MANIFEST,
    config: {},
    layers: [],
  });
  const huge = new Uint8Array(5 * 1024 * 1024).fill(32);
  const other = `sha256:${"1".repeat(64)}`;
  await withServer([
    { path: `/v2/ns/x/manifests/${other}`, respond: () => new Response(body) },
    { path: "/v2/ns/x/manifests/huge", respond: () => new Response(huge) },
    {
      path: "/v2/ns/x/manifests/huge-chunked",
      respond: () => new Response(ReadableStream.from([huge])),
    },
  ], async (client) => {
    await t.step("digest mismatch", async () => {
      await assert.rejects(getArtifactManifest(client, `x@${other}`), { code: "DIGEST_MISMATCH" });
    });
    for (const tag of ["huge", "huge-chunked"]) {
      await t.step(tag, async () => {
        await assert.rejects(getArtifactManifest(client, `x:${tag}`), {
          code: "SIZE_MISMATCH", // exit 5, as an oversized config or layer
          message: /is larger than 4194304 bytes/,
        });
      });
    }
  });
});

Deno.test("503 twice then 200 succeeds; 503 beyond retry_count is REGISTRY_ERROR", async (t) => {
  const ok = () => Response.json({ name: "ns/x", tags: ["1.0.0"] });
  await t.step("retried", async () => {
    await withServer(
      [{ path: "/v2/ns/x/tags/list", respond: [status(503), status(503), ok] }],
      async (client, server) => {
        assert.deepEqual(await getArtifactTags(client, "x"), ["1.0.0"]);
        assert.equal(server.requests.length, 3);
      },
    );
  });
  await t.step("gives up", async () => {
    await withServer([{
      path: "/v2/ns/x/tags/list",
      respond: status(503, '{"errors":[{"code":"UNAVAILABLE","message":"down"}]}'),
    }], async (client, server) => {
      await assert.rejects(getArtifactTags(client, "x"), (error: unknown) => {
        assert.ok(error instanceof RegistryResponseError);
        assert.equal(error.code, "REGISTRY_ERROR");
        assert.equal(error.exitCode, 4);
        assert.equal(error.status, 503);
        assert.equal(error.method, "GET");
        assert.match(error.url, /\/v2\/ns\/x\/tags\/list$/);
        assert.deepEqual(error.errors, [{ code: "UNAVAILABLE", message: "down" }]);
        assert.match(
          error.message,
          /answered HTTP 503 to GET "\/v2\/ns\/x\/tags\/list": UNAVAILABLE: down/,
        );
        return true;
      });
      assert.equal(server.requests.length, 2);
    }, { retry_count: 1 });
  });
  await t.step("4xx is never retried", async () => {
    await withServer(
      [{ path: "/v2/ns/x/tags/list", respond: [status(400), ok] }],
      async (client, server) => {
        await assert.rejects(getArtifactTags(client, "x"), { code: "REGISTRY_ERROR" });
        assert.equal(server.requests.length, 1);
      },
    );
  });
});

Deno.test("429 with Retry-After waits what the registry asks up to the cap, and fails beyond it", async (t) => {
  const cases: [string, number, number][] = [["1", 30_000, 1000], ["30", 30_000, 30_000], [
    "0",
    30_000,
    0,
  ]];
  for (const [retryAfter, cap, expected] of cases) {
    await t.step(`Retry-After: ${retryAfter}`, async () => {
      const delays: number[] = [];
      const sleep = (ms: number) => {
        delays.push(ms);
        return Promise.resolve();
      };
      await withServer(
        [{
          path: "/v2/ns/x/tags/list",
          respond: [
            status(429, "", { "retry-after": retryAfter }),
            () => Response.json({ tags: ["1.0.0"] }),
          ],
        }],
        async (client) => {
          assert.deepEqual(await getArtifactTags(client, "x"), ["1.0.0"]);
          assert.deepEqual(delays, [expected]);
        },
        {},
        { retry: { ...FAST_RETRY, maxRetryAfterMs: cap, sleep } },
      );
    });
  }
  await t.step("Retry-After: 86400 with the default cap fails at once (exit 4)", async () => {
    const delays: number[] = [];
    const notes: string[] = [];
    await withServer(
      [{ path: "/v2/ns/x/tags/list", respond: status(429, "", { "retry-after": "86400" }) }],
      async (client, server) => {
        await assert.rejects(getArtifactTags(client, "x"), (error: unknown) => {
          const e = error as { code: string; exitCode: number; message: string; hint: string };
          assert.equal(e.code, "RATE_LIMITED");
          assert.equal(e.exitCode, 4);
          assert.equal(
            e.message,
            `Registry "${server.host}" is rate limiting (HTTP 429 to GET /v2/ns/x/tags/list) ` +
              "and asked to wait 86400 s, more than the 60 s this client waits",
          );
          assert.match(e.hint, /^Try again after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
          return true;
        });
        assert.equal(server.requests.length, 1, "not retried");
        assert.deepEqual(delays, []);
        assert.deepEqual(notes, []);
      },
      {},
      {
        retry: { sleep: (ms) => (delays.push(ms), Promise.resolve()) },
        onNote: (line) => notes.push(line),
      },
    );
  });
});

Deno.test("a stalled response or body times out with TIMEOUT (exit 4)", async (t) => {
  await t.step("no response headers", async () => {
    await withServer([{ path: "/v2/ns/x/tags/list", respond: stall() }], async (client, server) => {
      await assert.rejects(getArtifactTags(client, "x"), (error: unknown) => {
        const e = error as { code: string; exitCode: number; message: string };
        assert.equal(e.code, "TIMEOUT");
        assert.equal(e.exitCode, 4);
        assert.equal(
          e.message,
          `Registry "${server.host}" did not answer GET /v2/ns/x/tags/list within 0.2 s`,
        );
        return true;
      });
      assert.equal(server.requests.length, 2, "a timeout is retried");
    }, { timeout: 0.2, retry_count: 1 });
  });
  await t.step("a blob body that stops mid-way", async () => {
    const layer = new Uint8Array(1000).fill(1);
    await withServer(
      artifactRoutes(layer, stallBody(layer.subarray(0, 10), { "content-length": "1000" })),
      async (client, server) => {
        const pulled = await pullArtifact(client, "x:1.0.0");
        await assert.rejects(async () => await readAll(await pulled.layers[0]!.open()), {
          code: "TIMEOUT",
          message: `Registry "${server.host}" stopped sending the body of GET /v2/ns/x/blobs/${
            digestOf(layer)
          } for 0.2 s (10 of 1000 bytes received)`,
        });
      },
      { timeout: 0.2, retry_count: 0 },
    );
  });
});

// The default-timeout hang: Deno's fetch delivers an abort to the body only through the
// Response object. Once that is garbage-collected (a long stall, or a big partial body, gives
// the collector time to run) aborting the fetch no longer ends a pending read. Forcing the
// collection reproduces in well under a second what the 30 s default hit in the field.
Deno.test("a body that stalls after its Response was garbage-collected still times out", async (t) => {
  const layer = new Uint8Array(2 * 1024 * 1024).fill(7);
  const manifestHead = `{"schemaVersion":2,"mediaType":"${MEDIA_TYPE_OCI_MANIFEST}",`;
  const routes: FaultRoute[] = [
    {
      path: "/v2/ns/tags/tags/list",
      respond: stallBody('{"name":"ns/tags","tags":["1.0', { "content-length": "100" }),
    },
    {
      path: "/v2/ns/manifest/manifests/1.0.0",
      respond: stallBody(manifestHead, {
        "content-type": MEDIA_TYPE_OCI_MANIFEST,
        "content-length": "4000",
      }),
    },
    ...artifactRoutes(
      layer,
      stallBody(layer.subarray(0, layer.byteLength / 2), {
        "content-length": String(layer.byteLength),
      }),
    ),
  ];
  await withServer(routes, async (client, server) => {
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      [
        "tags",
        () => getArtifactTags(client, "tags"),
        /stopped sending the body of GET \/v2\/ns\/tags\/tags\/list for 0\.3 s/,
      ],
      [
        "manifest",
        () => getArtifactManifest(client, "manifest:1.0.0"),
        /stopped sending the body of GET \/v2\/ns\/manifest\/manifests\/1\.0\.0 for 0\.3 s/,
      ],
      [
        "blob",
        async () => await readAll(await (await pullArtifact(client, "x:1.0.0")).layers[0]!.open()),
        / for 0\.3 s \(1048576 of 2097152 bytes received\)$/,
      ],
    ];
    for (const [name, operation, message] of cases) {
      await t.step(name, async () => {
        await assert.rejects(whileCollectingGarbage(operation()), (error: unknown) => {
          const e = error as { code: string; exitCode: number; message: string };
          assert.equal(e.code, "TIMEOUT", e.message);
          assert.equal(e.exitCode, 4);
          assert.ok(e.message.startsWith(`Registry "${server.host}" `), e.message);
          assert.match(e.message, message);
          return true;
        });
      });
    }
  }, { timeout: 0.3, retry_count: 0 });
});

Deno.test("a connection dropped mid-body is UNREACHABLE (exit 4)", async () => {
  const layer = new Uint8Array(1000).fill(1);
  const dropping = () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(layer.subarray(0, 10));
          controller.error(new Error("connection dropped by the fault server"));
        },
      }),
      { headers: { "content-length": "1000" } },
    );
  await withServer(artifactRoutes(layer, dropping), async (client) => {
    const pulled = await pullArtifact(client, "x:1.0.0");
    await assert.rejects(
      async () => await readAll(await pulled.layers[0]!.open()),
      (error: unknown) => {
        const e = error as { code: string; exitCode: number; message: string };
        assert.equal(e.code, "UNREACHABLE");
        assert.equal(e.exitCode, 4);
        assert.match(e.message, /^Cannot reach "127\.0\.0\.1:\d+": /);
        return true;
      },
    );
  });
});

Deno.test("a registry nobody listens on is UNREACHABLE at once, not after retries; isOciAvailable() is false", async () => {
  // A port that was just closed: connection refused (a real registry cannot show this).
  const server = await startFaultServer([]);
  await server.close();
  const counted = countingClient(server.url);
  using client = counted.client;
  const attempts = counted.attempts;
  await assert.rejects(getArtifactTags(client, "x"), (error: unknown) => {
    const e = error as { code: string; exitCode: number; message: string };
    assert.equal(e.code, "UNREACHABLE");
    assert.equal(e.exitCode, 4);
    assert.equal(e.message, `Cannot reach "${server.host}": connection refused`);
    return true;
  });
  // Refused on first contact: nothing listens, and retrying would only add the backoff.
  assert.equal(attempts.length, 1, "no retries for a refused first connection");
  const report = await testOciConnection(client);
  assert.equal(report.reachable, false);
  assert.equal(report.ok, false);
  assert.equal(report.auth, "unknown");
  assert.equal(report.error?.code, "UNREACHABLE");
  attempts.length = 0;
  assert.equal(await isOciAvailable(client), false);
  assert.equal(attempts.length, 1, "isOciAvailable() probes once");
});

Deno.test("tag pagination follows Link (relative and absolute) and stops on repeats", async (t) => {
  await t.step("three pages", async () => {
    await withServer([{
      path: /^\/v2\/ns\/x\/tags\/list/,
      respond: (_req, { url, origin }) => {
        const last = url.searchParams.get("last");
        if (last === null) {
          return Response.json({ tags: ["1.10.0", "1.2.0"] }, {
            headers: { link: '</v2/ns/x/tags/list?last=1.2.0&n=2>; rel="next"' },
          });
        }
        if (last === "1.2.0") {
          return Response.json({ tags: ["latest", "1.9.0"] }, {
            headers: { link: `<${origin}/v2/ns/x/tags/list?last=1.9.0&n=2>; rel="next"` },
          });
        }
        return Response.json({ tags: ["0.1.0"] });
      },
    }], async (client, server) => {
      assert.deepEqual(await getArtifactTags(client, "x", { pageSize: 2 }), [
        "0.1.0",
        "1.2.0",
        "1.9.0",
        "1.10.0",
        "latest",
      ]);
      assert.deepEqual(server.requests.map((r) => r.path), [
        "/v2/ns/x/tags/list?n=2",
        "/v2/ns/x/tags/list?last=1.2.0&n=2",
        "/v2/ns/x/tags/list?last=1.9.0&n=2",
      ]);
    });
  });
  await t.step("a Link back to a page already read", async () => {
    await withServer([{
      path: /^\/v2\/ns\/x\/tags\/list/,
      respond: () =>
        Response.json({ tags: ["1.0.0"] }, {
          headers: { link: '</v2/ns/x/tags/list>; rel="next"' },
        }),
    }], async (client, server) => {
      assert.deepEqual(await getArtifactTags(client, "x"), ["1.0.0"]);
      assert.equal(server.requests.length, 1);
    });
  });
});

Deno.test("catalog pagination follows Link until an empty page; a forbidden catalog is explained", async (t) => {
  const pages: Record<string, string[]> = {
    "": ["ns/a", "other/b"],
    "other/b": ["ns/c", "ns/d"],
    "ns/d": [],
  };
  const catalog: FaultRoute = {
    path: /^\/v2\/_catalog/,
    respond: (_req, { url }) => {
      const last = url.searchParams.get("last") ?? "";
      const repos = pages[last] ?? [];
      return Response.json({ repositories: repos }, {
        // Like distribution: a Link even after the last page.
        headers: { link: `</v2/_catalog?last=${repos.at(-1) ?? last}&n=2>; rel="next"` },
      });
    },
  };
  await t.step("pages", async () => {
    await withServer([catalog], async (client, server) => {
      assert.deepEqual(await listArtifacts(client, { pageSize: 2 }), ["ns/a", "ns/c", "ns/d"]);
      assert.equal(server.requests.length, 3);
      assert.deepEqual(await listArtifacts(client, { namespace: "" }), [
        "ns/a",
        "ns/c",
        "ns/d",
        "other/b",
      ]);
    });
  });
  const refusals: [string, FaultRoute["respond"], string, RegExp][] = [
    [
      "401",
      status(401, "", { "www-authenticate": 'Basic realm="r"' }),
      "AUTH_REFUSED",
      /does not allow listing its catalog \(HTTP 401\)/,
    ],
    ["403", status(403), "AUTH_REFUSED", /does not allow listing its catalog \(HTTP 403\)/],
    ["404", status(404), "UNSUPPORTED", /has no catalog API \(HTTP 404\)/],
  ];
  for (const [name, respond, code, message] of refusals) {
    await t.step(`forbidden ${name}`, async () => {
      await withServer([{ path: /^\/v2\/_catalog/, respond }], async (client) => {
        await assert.rejects(listArtifacts(client), (error: unknown) => {
          const e = error as { code: string; message: string; hint: string };
          assert.equal(e.code, code);
          assert.match(e.message, message);
          assert.match(e.hint, /\[oci\] repositories/);
          return true;
        });
      });
    });
    await t.step(`forbidden ${name} with [oci] repositories`, async () => {
      await withServer([{ path: /^\/v2\/_catalog/, respond }], async (client) => {
        assert.deepEqual(await listArtifacts(client), ["ns/aws", "ns/k8s"]);
      }, { repositories: ["ns/k8s", "ns/aws", "elsewhere/x"] });
    });
  }
});

function tokenRoutes(token: FaultRoute["respond"]): FaultRoute[] {
  return [
    {
      path: "/v2/",
      respond: (req, { origin }) =>
        req.headers.get("authorization")?.startsWith("Bearer ")
          ? new Response("{}")
          : new Response(null, {
            status: 401,
            headers: { "www-authenticate": `Bearer realm="${origin}/token",service="fault"` },
          }),
    },
    { path: "/token", respond: token },
  ];
}

Deno.test("a broken token endpoint is a clear REGISTRY_ERROR without secrets", async (t) => {
  const cases: [string, FaultRoute["respond"], RegExp][] = [
    [
      "HTML instead of JSON",
      status(200, "<html>oops</html>"),
      /returned no token: expected JSON with "token" or "access_token"/,
    ],
    ["JSON without a token", () => Response.json({ token: "" }), /returned no token/],
    ["HTTP 500", status(500), /answered HTTP 500 for registry/],
  ];
  for (const [name, respond, message] of cases) {
    await t.step(name, async () => {
      await withServer(
        tokenRoutes(respond),
        async (client) => {
          const report = await testOciConnection(client);
          assert.equal(report.ok, false);
          assert.equal(report.error?.code, "REGISTRY_ERROR");
          assert.match(report.error?.message ?? "", message);
          assert.ok(!printedForms(report).includes(SECRET));
        },
        {},
        { credentials: memoryCredentials({ "127.0.0.1": { username: "u", password: SECRET } }) },
      );
    });
  }
  await t.step("access_token alone is accepted", async () => {
    await withServer(tokenRoutes(() => Response.json({ access_token: "T" })), async (client) => {
      const report = await testOciConnection(client);
      assert.equal(report.ok, true);
      assert.equal(report.auth, "bearer");
    });
  });
});

Deno.test("a token the registry rejects as invalid_token is replaced", async () => {
  let issued = 0;
  let accepted = "T1";
  const challenge = (origin: string, error = "") =>
    `Bearer realm="${origin}/token",service="fault",scope="repository:ns/x:pull"${error}`;
  await withServer([
    { path: "/token", respond: () => Response.json({ token: `T${++issued}`, expires_in: 300 }) },
    {
      path: "/v2/ns/x/tags/list",
      respond: (req, { origin }) => {
        const auth = req.headers.get("authorization");
        if (auth === `Bearer ${accepted}`) return Response.json({ tags: ["1.0.0"] });
        return new Response(null, {
          status: 401,
          headers: {
            "www-authenticate": challenge(origin, auth === null ? "" : ',error="invalid_token"'),
          },
        });
      },
    },
  ], async (client, server) => {
    assert.deepEqual(await getArtifactTags(client, "x"), ["1.0.0"]);
    accepted = "T2"; // the registry revokes T1
    assert.deepEqual(await getArtifactTags(client, "x"), ["1.0.0"]);
    assert.equal(issued, 2);
    assert.deepEqual(
      server.requests.map((r) =>
        `${r.path.split("?")[0]} ${r.headers.get("authorization") ?? "-"}`
      ),
      [
        "/v2/ns/x/tags/list -",
        "/token -",
        "/v2/ns/x/tags/list Bearer T1",
        "/v2/ns/x/tags/list Bearer T1",
        "/token -",
        "/v2/ns/x/tags/list Bearer T2",
      ],
    );
  });
});

Deno.test("uploads follow the newest relative Location and append digest correctly", async (t) => {
  const blob = new TextEncoder().encode("0123456789");
  const digest = digestOf(blob);
  const cases: [string, number, string[], string][] = [
    // name, chunk_size, PATCH paths, final PUT path
    [
      "chunked",
      4,
      ["/upload/s1", "/upload/s2?state=a%3D", "/upload/s3?state=b"],
      `/upload/s4?state=c&digest=${encodeURIComponent(digest)}`,
    ],
    ["monolithic", 1024, [], `/upload/s1?digest=${encodeURIComponent(digest)}`],
  ];
  for (const [name, chunkSize, patches, put] of cases) {
    await t.step(name, async () => {
      const received: Uint8Array[] = [];
      const next = ["/upload/s2?state=a%3D", "s3?state=b", "./s4?state=c"];
      await withServer([
        { method: "HEAD", path: `/v2/ns/x/blobs/${digest}`, respond: status(404) },
        {
          method: "POST",
          path: "/v2/ns/x/blobs/uploads/",
          respond: status(202, "", { location: "/upload/s1" }),
        },
        {
          method: "PATCH",
          path: /^\/upload\//,
          respond: async (req, { hit }) => {
            received.push(new Uint8Array(await req.arrayBuffer()));
            return new Response(null, { status: 202, headers: { location: next[hit]! } });
          },
        },
        {
          method: "PUT",
          path: /^\/upload\//,
          respond: async (req) => {
            received.push(new Uint8Array(await req.arrayBuffer()));
            return new Response(null, {
              status: 201,
              headers: { "docker-content-digest": digest },
            });
          },
        },
      ], async (client, server) => {
        const result = await pushBlob(
          client,
          { registry: server.host, repository: "ns/x" },
          bytesSource(blob),
        );
        assert.equal(result.outcome, "uploaded");
        const sent = server.requests.filter((r) => r.method === "PATCH" || r.method === "PUT");
        assert.deepEqual(sent.map((r) => r.path), [...patches, put]);
        const total = received.reduce((n, b) => n + b.byteLength, 0);
        assert.equal(total, blob.byteLength);
        assert.equal(
          new TextDecoder().decode(new Uint8Array(received.flatMap((b) => [...b]))),
          "0123456789",
        );
      }, { chunk_size: chunkSize });
    });
  }
});

Deno.test("a failed blob upload restarts with a freshly opened source", async () => {
  const blob = new TextEncoder().encode("retry me");
  const digest = digestOf(blob);
  const opened = { count: 0 };
  await withServer([
    { method: "HEAD", path: `/v2/ns/x/blobs/${digest}`, respond: status(404) },
    {
      method: "POST",
      path: "/v2/ns/x/blobs/uploads/",
      respond: status(202, "", { location: "/upload/1" }),
    },
    {
      method: "PUT",
      path: /^\/upload\//,
      respond: [
        async (req) => {
          await req.arrayBuffer();
          return new Response("broken", { status: 503 });
        },
        async (req) => {
          await req.arrayBuffer();
          return new Response(null, { status: 201 });
        },
      ],
    },
  ], async (client, server) => {
    const source = bytesSource(blob, undefined, opened);
    const result = await pushBlob(client, { registry: server.host, repository: "ns/x" }, source);
    assert.equal(result.outcome, "uploaded");
    assert.equal(opened.count, 2);
    assert.deepEqual(server.requests.map((r) => r.method), ["HEAD", "POST", "PUT", "POST", "PUT"]);
  });
});

Deno.test("a registry that answered once and then refuses is retried (it may be restarting)", async () => {
  const server = await startFaultServer([{ path: "/v2/", respond: () => new Response("{}") }]);
  const counted = countingClient(server.url);
  using client = counted.client;
  const attempts = counted.attempts;
  assert.equal((await testOciConnection(client)).reachable, true);
  await server.close();
  attempts.length = 0;
  await assert.rejects(getArtifactTags(client, "x"), { code: "UNREACHABLE" });
  assert.equal(attempts.length, 3, "first try plus retry_count retries");
});

/** A client for `url` (two retries, fast backoff) and every URL it fetched. */
function countingClient(url: string) {
  const attempts: string[] = [];
  const counting: typeof fetch = (input, init) => {
    attempts.push(String(input));
    return fetch(input, init);
  };
  const client = createRegistryClient({
    registry: url,
    namespace: "ns",
    auth_token_path: undefined,
    insecure: false,
    timeout: 5,
    retry_count: 2,
    ca_file: undefined,
    chunk_size: 1024,
  }, { fetch: counting, retry: FAST_RETRY, credentials: memoryCredentials({}) });
  return { attempts, client };
}
