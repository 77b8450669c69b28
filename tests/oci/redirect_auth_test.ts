/**
 * Credentials and a redirect target that challenges: the real registry (Basic and token
 * variants) redirects blob downloads with its `redirect` storage middleware to a stand-in
 * CDN (a fault server — a real CDN is not available here) that answers 401 with its own
 * Bearer challenge and token realm. The registry's credentials and tokens must never reach
 * the CDN or its realm, the CDN's token must never reach the registry, and the CDN gets an
 * anonymous token only when `[oci] redirect_hosts` names it.
 */

import assert from "node:assert/strict";
import { type FaultServer, startFaultServer } from "../harness/fault_server.ts";
import { EXTERNAL_REGISTRY_ENV, registryBinaryFound, startRegistry } from "../harness/registry.ts";
import { memoryCredentials, pullArtifact, pushArtifact } from "../../src/oci/mod.ts";
import { bytesSource, clientFor, configSource, printedForms, recordingFetch } from "./_helpers.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { runCli } from "../cli/run_cli.ts";

const CDN_TOKEN = "cdn-token-for-blobs";
const BLOB_PATH = /^\/docker\/registry\/v2\/blobs\//;

/** A CDN stand-in serving the registry's blob files to holders of its own token only. */
async function startCdn(dataDir: () => string): Promise<FaultServer> {
  return await startFaultServer([
    {
      path: "/token",
      respond: () => Response.json({ token: CDN_TOKEN, expires_in: 300 }),
    },
    {
      path: BLOB_PATH,
      respond: async (request, { origin, url }) => {
        if (request.headers.get("authorization") !== `Bearer ${CDN_TOKEN}`) {
          return new Response("unauthorized", {
            status: 401,
            headers: {
              "www-authenticate": `Bearer realm="${origin}/token",service="cdn",scope="blobs:read"`,
            },
          });
        }
        return new Response(await Deno.readFile(`${dataDir()}${url.pathname}`));
      },
    },
  ]);
}

/** Every distinct `Authorization` value in a list of recorded requests (`-` for none). */
function authorizations(requests: { headers: Headers }[]): string[] {
  return [...new Set(requests.map((r) => r.headers.get("authorization") ?? "-"))].sort();
}

const canRun = !Deno.env.get(EXTERNAL_REGISTRY_ENV) &&
  (registryBinaryFound() || Deno.env.get("CI") === "true");

for (const variant of ["basic", "token"] as const) {
  Deno.test({
    name: `a ${variant} registry's credentials never reach a redirect target's token realm`,
    ignore: !canRun,
  }, async (t) => {
    let dataDir = "";
    const cdn = await startCdn(() => dataDir);
    const reg = await startRegistry({ variant, redirectBaseUrl: cdn.url });
    dataDir = reg.dataDir;
    const credentials = memoryCredentials({
      [reg.host]: { username: reg.username!, password: reg.password! },
    });
    const basic = `Basic ${btoa(`${reg.username}:${reg.password}`)}`;
    const layer = new Uint8Array(4096).fill(9);
    try {
      const publisher = clientFor(reg, { credentials, settings: { namespace: "redirects" } });
      await pushArtifact(publisher, "x:1.0.0", {
        config: configSource({ name: "x" }),
        layers: [bytesSource(layer)],
      });
      publisher.close();

      await t.step("allowed in redirect_hosts: an anonymous token, for the CDN only", async () => {
        const recorded = recordingFetch();
        using client = clientFor(reg, {
          credentials,
          fetch: recorded.fetch,
          settings: { namespace: "redirects", redirect_hosts: [cdn.host] },
        });
        for (let i = 0; i < 2; i++) {
          const pulled = await pullArtifact(client, "x:1.0.0");
          const bytes = new Uint8Array(await new Response(await pulled.layers[0]!.open()).bytes());
          assert.deepEqual(bytes, layer);
        }
        const toRegistry = recorded.requests.filter((r) => r.url.host === reg.host);
        const toCdn = cdn.requests.filter((r) => BLOB_PATH.test(r.path));
        const cdnTokens = cdn.requests.filter((r) => r.path.startsWith("/token"));
        assert.ok(toCdn.length >= 4, "the registry redirected config and layer, twice");
        assert.deepEqual(authorizations(toCdn), ["-", `Bearer ${CDN_TOKEN}`]);
        assert.deepEqual(authorizations(cdnTokens), ["-"], "the CDN's realm is asked anonymously");
        assert.equal(cdnTokens.length, 1, "one CDN token serves config, layer and the second pull");
        assert.ok(
          toRegistry.every((r) => r.headers.get("authorization") !== `Bearer ${CDN_TOKEN}`),
          "the CDN's token never goes to the registry",
        );
        assert.ok(
          toRegistry.some((r) => r.headers.get("authorization") !== null),
          "the registry itself still gets its credentials",
        );
        assert.ok(!authorizations(cdn.requests).includes(basic));
      });

      await t.step("not in redirect_hosts: refused without contacting the realm", async () => {
        const before = cdn.requests.length;
        using client = clientFor(reg, { credentials, settings: { namespace: "redirects" } });
        await assert.rejects(
          pullArtifact(client, "x:1.0.0"),
          (error: unknown) => {
            const e = error as { code: string; exitCode: number; message: string; hint: string };
            assert.equal(e.code, "AUTH_REFUSED");
            assert.equal(e.exitCode, 4);
            assert.equal(
              e.message,
              `"${cdn.host}" (redirected to by registry "${reg.host}") asks for credentials; ` +
                "the registry's are never sent to another host",
            );
            assert.match(e.hint, /\[oci\] redirect_hosts/);
            assert.ok(!printedForms(error).includes(reg.password!));
            return true;
          },
        );
        const seen = cdn.requests.slice(before);
        assert.equal(seen.filter((r) => r.path.startsWith("/token")).length, 0);
        assert.deepEqual(authorizations(seen), ["-"]);
      });

      await t.step(
        "through the CLI: logged in, the pull never shows the CDN our password",
        async () => {
          const publisher = clientFor(reg, { credentials, settings: { namespace: "redirects" } });
          await publish(publisher, { name: "cdnext", type: "provider", version: "1.0.0" });
          publisher.close();
          const home = await makeHome(
            `[oci]\nretry_count = 0\nredirect_hosts = ["${cdn.host}"]\n`,
          );
          try {
            const env = cliEnv(home, reg.host, "redirects");
            const login = await runCli(
              ["ext", "login", reg.host, "--username", reg.username!, "--password-stdin"],
              { home: home.home, env, stdin: reg.password! },
            );
            assert.equal(login.code, 0, login.stderr);
            const before = cdn.requests.length;
            const run = await runCli(
              [
                "ext",
                "pull",
                "cdnext",
                "--version",
                "1.0.0",
                "--source",
                "oci",
                "--format",
                "json",
              ],
              { home: home.home, env },
            );
            assert.equal(run.code, 0, run.stderr);
            const seen = cdn.requests.slice(before);
            assert.ok(seen.some((r) => BLOB_PATH.test(r.path)), "the blobs came from the CDN");
            assert.ok(!authorizations(seen).includes(basic), "never the registry's Basic header");
            assert.ok(
              seen.every((r) =>
                [null, `Bearer ${CDN_TOKEN}`].includes(r.headers.get("authorization"))
              ),
            );
            assert.ok(!run.stdout.includes(reg.password!) && !run.stderr.includes(reg.password!));
          } finally {
            await home.cleanup();
          }
        },
      );

      // Every request the CDN ever saw, in all steps.
      assert.ok(
        cdn.requests.every((r) =>
          [null, `Bearer ${CDN_TOKEN}`].includes(r.headers.get("authorization"))
        ),
        `the CDN saw only its own token: ${authorizations(cdn.requests).join(", ")}`,
      );
    } finally {
      await reg.stop();
      await cdn.close();
    }
  });
}
