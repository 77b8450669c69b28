/**
 * `ext ui` spawned as users launch it (no browser): the URL on stdout, Ctrl-C (SIGINT)
 * stopping it with exit 0, both launches (the broad launch's scoped worker and the flags
 * `ext permissions` prints), the listen grant in the permission plan, bad and busy ports,
 * and requests that are not local or not carrying the token.
 */

import assert from "node:assert/strict";
import { CLI_LAUNCHES, runCli, withTempHome } from "./run_cli.ts";
import { startUi } from "../ui/_ui_process.ts";

const STACK_LINE = /^\s+at /m;
const EXAMPLES = { PROVISIONING_SOURCE_TYPE: "examples" };

/** `GET /` with the given `Host` over a plain connection; the response's status line. */
async function rawStatusLine(port: number, host: string): Promise<string> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(
    new TextEncoder().encode(`GET /cache HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
  );
  const buffer = new Uint8Array(256);
  const read = await conn.read(buffer);
  return new TextDecoder().decode(buffer.subarray(0, read ?? 0)).split("\r\n")[0] ?? "";
}

Deno.test("ext ui serves the catalogue and stops on SIGINT, in both launches", async (t) => {
  for (const { launch, label } of CLI_LAUNCHES) {
    await t.step(label, async () => {
      await withTempHome("ui-cli-", async (home) => {
        const ui = await startUi([], { home, env: EXAMPLES, launch });
        let stopped: Awaited<ReturnType<typeof ui.stop>> | undefined;
        try {
          const page = await fetch(ui.url);
          assert.equal(page.status, 200);
          assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
          const text = await page.text();
          assert.match(text, /href="\/ext\/examples\/taskserv\/kubernetes"/);
          assert.doesNotMatch(text, /<script>/, "no inline script");
          const search = await fetch(new URL("/search?q=kubernets", ui.url));
          const body = await search.json() as { count: string; html: string };
          assert.match(body.html, /kubernetes/);
          const ext = await fetch(new URL("/ext/examples/taskserv/kubernetes", ui.url));
          assert.equal(ext.status, 200);
          assert.match(await ext.text(), /provisioning ext load kubernetes --version 1\.29\.1/);
          const missing = await fetch(new URL("/ext/examples/taskserv/nope", ui.url));
          assert.equal(missing.status, 404);
          assert.match(await missing.text(), /Extension taskserv &quot;nope&quot; not found/);
          const hostile = await fetch(new URL("/ext/examples/taskserv/%3Cb%3Ex", ui.url));
          assert.equal(hostile.status, 400);
          const hostileText = await hostile.text();
          assert.match(hostileText, /&lt;b&gt;x/);
          assert.doesNotMatch(hostileText, /<b>x/);
          const cache = await fetch(new URL("/cache", ui.url));
          assert.match(await cache.text(), /The cache is empty/);
        } finally {
          stopped = await ui.stop();
        }
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.equal(stopped.stdout, `${ui.url}\n`);
        assert.doesNotMatch(stopped.stderr, STACK_LINE);
      });
    });
  }
});

Deno.test("ext ui refuses requests that are not local, and POSTs without the token", async () => {
  await withTempHome("ui-cli-", async (home) => {
    const ui = await startUi([], { home, env: EXAMPLES });
    try {
      const port = new URL(ui.url).port;
      // fetch() always sends the URL's host: write the request by hand, as a page on
      // another name resolving to 127.0.0.1 (DNS rebinding) would have it sent.
      assert.match(await rawStatusLine(Number(port), `attacker.example:${port}`), / 403 /);
      assert.match(await rawStatusLine(Number(port), `127.0.0.1:${port}`), / 200 /);
      const pull = await fetch(new URL("/pull", ui.url), {
        method: "POST",
        body: new URLSearchParams({ name: "kubernetes", type: "taskserv", version: "1.29.1" }),
      });
      assert.equal(pull.status, 403);
      assert.match(await pull.text(), /token/);
      const json = await fetch(new URL("/pull", ui.url), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(json.status, 403);
      await json.body?.cancel();
      const put = await fetch(ui.url, { method: "PUT", body: "x" });
      assert.equal(put.status, 405);
      await put.body?.cancel();
    } finally {
      const stopped = await ui.stop();
      assert.equal(stopped.code, 0, stopped.stderr);
    }
  });
});

Deno.test("ext ui --port: the port asked for, a bad one (exit 2), a busy one (exit 2)", async (t) => {
  await withTempHome("ui-cli-", async (home) => {
    await t.step("a free port is used as given", async () => {
      const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (probe.addr as Deno.NetAddr).port;
      probe.close();
      const ui = await startUi(["--port", String(port)], { home, env: EXAMPLES });
      const stopped = await ui.stop();
      assert.equal(ui.url, `http://127.0.0.1:${port}/`);
      assert.equal(stopped.code, 0, stopped.stderr);
    });
    await t.step("a malformed port is a usage error", async () => {
      const run = await runCli(["ext", "ui", "--port", "80a"], { home, env: EXAMPLES });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /^error: Invalid --port "80a": expected 0 to 65535$/m);
      assert.doesNotMatch(run.stderr, STACK_LINE);
    });
    await t.step("a port in use is a usage error naming it", async () => {
      using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (busy.addr as Deno.NetAddr).port;
      const run = await runCli(["ext", "ui", "--port", String(port)], { home, env: EXAMPLES });
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`^error: Port ${port} on 127\\.0\\.0\\.1 is already in use`, "m"),
      );
      assert.doesNotMatch(run.stderr, STACK_LINE);
    });
  });
});

Deno.test("ext ui --open where no browser opens warns and still serves", async () => {
  await withTempHome("ui-cli-", async (home) => {
    const ui = await startUi(["--open"], { home, env: EXAMPLES });
    const page = await fetch(ui.url);
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const stopped = await ui.stop();
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(
      stopped.stderr,
      /^warning: Could not open a browser \(.*\); open http:\/\/127\.0\.0\.1:\d+\/$/m,
    );
  });
});

Deno.test("the plan of ext ui --port N --open grants 127.0.0.1:N and running xdg-open", async () => {
  await withTempHome("ui-cli-", async (home) => {
    const run = await runCli(
      ["ext", "permissions", "--format", "json", "--", "ui", "--port", "8080", "--open"],
      { home, env: EXAMPLES },
    );
    assert.equal(run.code, 0, run.stderr);
    const set = JSON.parse(run.stdout).permissions as { net: string[]; run: string[] };
    assert.ok(set.net.includes("127.0.0.1:8080"), set.net.join());
    assert.ok(!set.net.includes("127.0.0.1:0"));
    assert.deepEqual(set.run, ["xdg-open"]);
  });
});

Deno.test("ext permissions ui grants listening on 127.0.0.1:0 and nothing to run", async () => {
  await withTempHome("ui-cli-", async (home) => {
    const run = await runCli(["ext", "permissions", "ui", "--format", "json"], {
      home,
      env: EXAMPLES,
    });
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as { flags: string[] };
    const net = plan.flags.find((f) => f.startsWith("--allow-net="));
    assert.ok(net?.split("=")[1]?.split(",").includes("127.0.0.1:0"), net);
    assert.equal(plan.flags.find((f) => f.startsWith("--allow-run")), undefined);
  });
});
