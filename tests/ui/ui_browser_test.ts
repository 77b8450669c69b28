/**
 * `provisioning ext ui` in real headless Chromium, against a real registry and a local
 * folder: search as you type (ranked as `ext search` ranks), filters, an extension page
 * with README, versions and dependencies, Pull (and the entry on disk), the cache page, a
 * hostile README and description that must not run, and POSTs without the token or from
 * another origin that must be refused. Screenshots go to `tests/ui/screenshots/`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { registryBinaryFound, startRegistry } from "../harness/registry.ts";
import { runCli } from "../cli/run_cli.ts";
import { browserTest, launchBrowser, SCREENSHOT_DIR } from "./_browser.ts";
import { KUBERNETES_README, setUpWorld } from "./_fixture.ts";
import { startUi } from "./_ui_process.ts";

// The browser side of `page.evaluate` (no DOM library in the project's type check).
// deno-lint-ignore no-explicit-any
declare const document: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string };
type Dataset = { dataset: Record<string, string> };

/** Waits until the client script has shown the results of `query`. */
async function searched(page: Page, query: string): Promise<void> {
  await page.waitForFunction(
    (q: string) => document.body.dataset.searched === q,
    { timeout: 15_000 },
    query,
  );
}

async function cardKeys(page: Page): Promise<string[]> {
  return await page.$$eval(
    "#results .card",
    (cards) =>
      cards.map((c) =>
        `${(c as unknown as Dataset).dataset.name}/${(c as unknown as Dataset).dataset.source}`
      ),
  );
}

async function clearSearch(page: Page): Promise<void> {
  await page.click("#q", { count: 3 });
  await page.keyboard.press("Backspace");
}

browserTest(
  "ext ui in Chromium: search, filter, extension page, Pull, cache, hostile README, token",
  async (t) => {
    if (!registryBinaryFound() && Deno.env.get("PROVISIONING_TEST_REGISTRY") === undefined) {
      if (Deno.env.get("CI") === "true") throw new Error("docker-registry is missing");
      console.error("SKIP: ext ui browser test needs docker-registry");
      return;
    }
    const reg = await startRegistry();
    const world = await setUpWorld(reg);
    const ui = await startUi([], { home: world.home, env: world.env });
    const browser = await launchBrowser();
    try {
      await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const dialogs: string[] = [];
      page.on("dialog", async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });

      await t.step("the catalogue lists every extension of both sources", async () => {
        await page.goto(ui.url, { waitUntil: "load" });
        const keys = await cardKeys(page);
        for (
          const key of [
            "kubernetes/oci",
            "containerd/oci",
            "aws/oci",
            "evil/oci",
            "hetzner/local",
            "mine/local",
          ]
        ) {
          assert.ok(keys.includes(key), `${key} in ${keys.join(", ")}`);
        }
        const paint = await page.evaluate(() =>
          performance.getEntriesByType("paint").map((e) => `${e.name} ${e.startTime.toFixed(0)} ms`)
        );
        console.error(`catalogue (${keys.length} cards) paint: ${paint.join(", ")}`);
        await page.screenshot({ path: join(SCREENSHOT_DIR, "catalogue.png"), fullPage: true });
      });

      await t.step(
        "search as you type ranks as `ext search` does, without moving the page",
        async () => {
          const before = await page.$eval(
            "#count",
            (e) => JSON.stringify(e.getBoundingClientRect()),
          );
          const searchBox = await page.$eval(
            "#q",
            (e) => JSON.stringify(e.getBoundingClientRect()),
          );
          await page.type("#q", "kube");
          await searched(page, "q=kube");
          const keys = await cardKeys(page);
          const cli = await runCli(["ext", "search", "kube", "-o", "json"], {
            home: world.home,
            env: world.env,
          });
          assert.equal(cli.code, 0, cli.stderr);
          const ranked = (JSON.parse(cli.stdout) as { name: string; source: string }[])
            .map((h) => `${h.name}/${h.source}`);
          assert.deepEqual(keys, ranked);
          assert.equal(keys[0], "kubernetes/oci");
          assert.equal(
            await page.$eval("#count", (e) => JSON.stringify(e.getBoundingClientRect())),
            before,
          );
          assert.equal(
            await page.$eval("#q", (e) => JSON.stringify(e.getBoundingClientRect())),
            searchBox,
          );
          assert.equal(new URL(page.url()).search, "?q=kube");
        },
      );

      await t.step("without JavaScript the search form still works", async () => {
        const plain = await browser.newPage();
        await plain.setJavaScriptEnabled(false);
        await plain.goto(ui.url, { waitUntil: "load" });
        await plain.type("#q", "amazon");
        await Promise.all([
          plain.waitForNavigation({ waitUntil: "load" }),
          plain.keyboard.press("Enter"),
        ]);
        assert.equal(new URL(plain.url()).searchParams.get("q"), "amazon");
        assert.deepEqual(await cardKeys(plain), ["aws/oci"]);
        await plain.close();
      });

      await t.step("filters by type, source and cached", async () => {
        await clearSearch(page);
        await searched(page, "");
        await page.select('select[name="type"]', "provider");
        await searched(page, "type=provider");
        assert.deepEqual((await cardKeys(page)).sort(), ["aws/oci", "hetzner/local"]);
        await page.select('select[name="source"]', "local");
        await searched(page, "type=provider&source=local");
        assert.deepEqual(await cardKeys(page), ["hetzner/local"]);
        await page.select('select[name="type"]', "");
        await page.select('select[name="source"]', "");
        await page.click('input[name="cached"]');
        await searched(page, "cached=1");
        assert.deepEqual(await cardKeys(page), []);
        assert.match(
          await page.$eval("#count", (e) => e.textContent ?? ""),
          /No extension matches/,
        );
      });

      await t.step("the extension page shows README, versions, manifest and files", async () => {
        await page.goto(ui.url, { waitUntil: "load" });
        await Promise.all([
          page.waitForNavigation({ waitUntil: "load" }),
          page.click('a[href="/ext/oci/taskserv/kubernetes"]'),
        ]);
        assert.equal(await page.$eval("h1", (e) => e.textContent), "kubernetes");
        assert.equal(
          await page.$eval("#readme h1", (e) => e.textContent),
          "Kubernetes on your servers",
        );
        assert.equal(await page.$$eval("#readme table tr", (rows) => rows.length), 2);
        const versions = await page.$$eval(
          "#versions tbody tr",
          (rows) =>
            rows.map((r) =>
              [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")
            ),
        );
        assert.deepEqual(versions.map((v) => v[0]), ["1.29.1", "1.28.0"]);
        assert.equal(versions[0]![2], world.digests.get("kubernetes@1.29.1"));
        assert.equal(versions[1]![2], world.digests.get("kubernetes@1.28.0"));
        assert.equal(versions[1]![1], "2024-01-02 03:04:05", "the created annotation");
        assert.equal(
          await page.$eval("#dependencies a", (a) => a.getAttribute("href")),
          "/ext/oci/taskserv/containerd",
        );
        const files = await page.$$eval(
          "#files li span:first-child",
          (s) => s.map((e) => e.textContent),
        );
        assert.ok(
          files.includes("docs/README.md") && files.includes("extension.yaml"),
          files.join(),
        );
        assert.match(await page.content(), /registry layer \(not cached\)/);
        assert.match(await page.content(), /provisioning ext load kubernetes --version 1\.29\.1/);
        assert.equal(await page.$eval("#cached-versions", (e) => e.textContent), "none");
        assert.match(
          await page.$eval("#locked", (e) => e.textContent ?? ""),
          /extensions\.lock\s+pins 1\.28\.0/,
        );
        assert.equal(await page.$$eval("#versions tbody tr .badge.locked", (b) => b.length), 1);
        await page.screenshot({ path: join(SCREENSHOT_DIR, "extension.png"), fullPage: true });
      });

      await t.step("Pull puts the version into the cache, on disk too", async () => {
        await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("#pull")]);
        assert.match(
          await page.$eval("#notice", (e) => e.textContent ?? ""),
          /Pulled kubernetes 1\.29\.1/,
        );
        assert.equal(await page.$eval("#cached-versions", (e) => e.textContent), "1.29.1");
        assert.ok(await page.$("#cached-state"));
        assert.match(await page.content(), /From the cache/);
        const entry = join(world.cacheDir, "extensions", "taskserv", "kubernetes", "1.29.1");
        assert.equal(await Deno.readTextFile(join(entry, "docs", "README.md")), KUBERNETES_README);
        await page.goto(`${ui.url}?cached=1`, { waitUntil: "load" });
        assert.deepEqual(await cardKeys(page), ["kubernetes/oci"]);
        await page.goto(`${ui.url}cache`, { waitUntil: "load" });
        const rows = await page.$$eval(
          "#cache-entries tbody tr",
          (r) =>
            r.map((e) =>
              [...e.querySelectorAll("td")].map((td) =>
                (td as unknown as { textContent: string }).textContent.trim()
              )
            ),
        );
        assert.equal(rows.length, 1);
        assert.deepEqual(rows[0]!.slice(0, 4), ["taskserv", "kubernetes", "1.29.1", "oci"]);
        await page.screenshot({ path: join(SCREENSHOT_DIR, "cache.png"), fullPage: true });
      });

      await t.step("a hostile README and description run nothing", async () => {
        await page.goto(`${ui.url}?q=evil`, { waitUntil: "networkidle0" });
        assert.match(
          await page.$eval('.card[data-name="evil"] .desc', (e) => e.textContent ?? ""),
          /^<img src=x onerror=/,
        );
        await page.goto(`${ui.url}ext/oci/taskserv/evil`, { waitUntil: "networkidle0" });
        assert.equal(await page.$eval("#readme h1", (e) => e.textContent), "Totally harmless");
        for (const link of await page.$$("#readme a")) await link.click().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(
          await page.evaluate(() => (globalThis as { __pwned?: string }).__pwned),
          undefined,
        );
        assert.deepEqual(dialogs, []);
        const dangerous = await page.evaluate(() => ({
          scripts: [...document.scripts].map((s) => s.getAttribute("src")),
          handlers: [...document.querySelectorAll("*")].filter((e) =>
            [...e.attributes].some((a) =>
              a.name.startsWith("on")
            )
          ).length,
          jsLinks: document.querySelectorAll('a[href^="javascript"]').length,
          frames: document.querySelectorAll("iframe, svg").length,
        }));
        assert.deepEqual(dangerous, {
          scripts: ["/assets/ui.js"],
          handlers: 0,
          jsLinks: 0,
          frames: 0,
        });
      });

      await t.step("dark mode and phone width", async () => {
        await page.goto(ui.url, { waitUntil: "load" });
        const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
        const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.notEqual(light, dark);
        await page.setViewport({ width: 390, height: 844 });
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 0, `no horizontal scrolling at phone width (${overflow} px)`);
        await page.screenshot({ path: join(SCREENSHOT_DIR, "catalogue-phone-dark.png") });
        await page.goto(`${ui.url}ext/oci/taskserv/kubernetes`, { waitUntil: "load" });
        const pageOverflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        await page.screenshot({ path: join(SCREENSHOT_DIR, "extension-phone-dark.png") });
        assert.ok(pageOverflow <= 0, `the extension page overflows by ${pageOverflow} px`);
        await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "light" }]);
        await page.setViewport({ width: 1280, height: 900 });
      });

      await t.step("POSTs without the token, or from another origin, are refused", async () => {
        const form = { name: "aws", type: "provider", version: "2.4.1", source: "oci" };
        const plain = await fetch(new URL("/pull", ui.url), {
          method: "POST",
          body: new URLSearchParams(form),
        });
        assert.equal(plain.status, 403);
        await plain.body?.cancel();
        const wrong = await fetch(new URL("/pull", ui.url), {
          method: "POST",
          body: new URLSearchParams({ ...form, token: "0".repeat(64) }),
        });
        assert.equal(wrong.status, 403);
        await wrong.body?.cancel();
        // Same origin, from the page's own JavaScript, but without the token.
        await page.goto(ui.url, { waitUntil: "load" });
        const inPage = await page.evaluate(
          async (fields: Record<string, string>) =>
            (await fetch("/pull", { method: "POST", body: new URLSearchParams(fields) })).status,
          form,
        );
        assert.equal(inPage, 403);
        // Another origin's page that submits a form to ours (cross-site request forgery).
        const token = await page.$eval(
          'input[name="token"]',
          (e) => (e as unknown as { value: string }).value,
        )
          .catch(() => undefined);
        assert.equal(token, undefined, "the catalogue carries no form with the token");
        const evil = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen: () => {} },
          () =>
            new Response(
              `<form id="f" method="post" action="${ui.url}pull">${
                Object.entries(form).map(([k, v]) => `<input name="${k}" value="${v}">`).join("")
              }</form><script>document.getElementById("f").submit()</script>`,
              { headers: { "content-type": "text/html" } },
            ),
        );
        try {
          const response = await Promise.all([
            page.waitForNavigation({ waitUntil: "load" }),
            page.goto(`http://127.0.0.1:${evil.addr.port}/`),
          ]).then(([nav]) => nav);
          assert.equal(response?.status(), 403);
        } finally {
          await evil.shutdown();
        }
        const cached = await runCli(["ext", "cache", "list", "-o", "json"], {
          home: world.home,
          env: world.env,
        });
        assert.deepEqual(
          (JSON.parse(cached.stdout) as { name: string }[]).map((e) => e.name),
          ["kubernetes"],
        );
      });

      await t.step("Ctrl-C stops the server cleanly", async () => {
        await browser.close();
        const stopped = await ui.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
        assert.equal(stopped.stdout, `${ui.url}\n`);
        assert.match(stopped.stderr, /Stopping/);
      });
      console.error(`screenshots: ${SCREENSHOT_DIR}`);
    } finally {
      await browser.close().catch(() => {});
      await ui.stop().catch(() => {});
      await reg.stop();
      await Deno.remove(world.home, { recursive: true }).catch(() => {});
    }
  },
);
