/**
 * The catalogue with 500 extensions across two sources (450 local folders, 50 pushed to the
 * real registry — pushing is what costs time here; `scripts/bench_ui.ts` does 250 + 250) in
 * headless Chromium: every card is shown, search still narrows them, and the time to first
 * paint and the page weight are printed (measured, never asserted).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryBinaryFound, startRegistry } from "../harness/registry.ts";
import { clientFor } from "../oci/_helpers.ts";
import {
  type FixtureExtension,
  inParallel,
  pushExtension,
  writeLocalExtension,
} from "../discovery/_fixtures.ts";
import { browserTest, launchBrowser } from "./_browser.ts";
import { startUi } from "./_ui_process.ts";

const TYPES = ["provider", "taskserv", "cluster"] as const;
const OCI = 50;
const LOCAL = 450;

browserTest(
  "ext ui catalogue of 500 extensions: first paint and page weight (printed)",
  async () => {
    if (!registryBinaryFound() && Deno.env.get("PROVISIONING_TEST_REGISTRY") === undefined) {
      if (Deno.env.get("CI") === "true") throw new Error("docker-registry is missing");
      console.error("SKIP: the 500-extension catalogue test needs docker-registry");
      return;
    }
    const reg = await startRegistry();
    const home = await Deno.makeTempDir({ prefix: "ui-500-" });
    try {
      const namespace = `ui500-${crypto.randomUUID().slice(0, 8)}`;
      const localDir = join(home, "local");
      await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
      await Deno.writeTextFile(
        join(home, ".provisioning", "config.toml"),
        "[oci]\nretry_count = 0\n",
      );
      const oci: FixtureExtension[] = Array.from({ length: OCI }, (_, i) => ({
        name: `oci-ext-${String(i).padStart(3, "0")}`,
        type: TYPES[i % 3]!,
        versions: ["1.0.0"],
        description: `Registry extension ${i}`,
      }));
      {
        using client = clientFor(reg, { settings: { namespace } });
        await inParallel(oci, 8, (ext) => pushExtension(client, namespace, ext));
      }
      await inParallel(
        Array.from({ length: LOCAL }, (_, i) => i),
        16,
        (i) =>
          writeLocalExtension(localDir, {
            name: `local-ext-${String(i).padStart(3, "0")}`,
            type: TYPES[i % 3]!,
            description: `Local folder extension ${i}`,
          }, "0.1.0"),
      );
      const env = {
        PROVISIONING_OCI_REGISTRY: reg.host,
        PROVISIONING_OCI_NAMESPACE: namespace,
        PROVISIONING_EXTENSIONS_PATH: localDir,
        PROVISIONING_CACHE_DIR: join(home, "cache"),
      };
      const ui = await startUi([], { home, env });
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.setViewport({ width: 1280, height: 900 });
        const fcp = async () => {
          await page.waitForFunction(() =>
            performance.getEntriesByType("paint").some((e) => e.name === "first-contentful-paint")
          );
          return await page.evaluate(() =>
            performance.getEntriesByType("paint")
              .find((e) => e.name === "first-contentful-paint")!.startTime
          );
        };
        await page.goto(ui.url, { waitUntil: "load" });
        const first = await fcp();
        assert.equal(await page.$$eval("#results .card", (c) => c.length), OCI + LOCAL);
        await page.goto(ui.url, { waitUntil: "load" });
        const again = await fcp();
        await page.goto(`${ui.url}?q=oci-ext-042`, { waitUntil: "load" });
        assert.equal(
          await page.$eval("#results .card h2 a", (a) => a.textContent),
          "oci-ext-042",
          "search still ranks the exact name first",
        );
        const bytes = async (path: string) =>
          (await (await fetch(new URL(path, ui.url))).arrayBuffer()).byteLength;
        const [html, css, js] = await Promise.all(
          ["/", "/assets/ui.css", "/assets/ui.js"].map(bytes),
        );
        console.error(
          `catalogue of ${OCI + LOCAL} extensions (${LOCAL} local + ${OCI} oci): ` +
            `first-contentful-paint ${
              first.toFixed(0)
            } ms on the first load (discovery included), ` +
            `${
              again.toFixed(0)
            } ms on the next; page weight HTML ${html} + CSS ${css} + JS ${js} = ` +
            `${html! + css! + js!} bytes`,
        );
      } finally {
        await browser.close();
        const stopped = await ui.stop();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    } finally {
      await reg.stop();
      await Deno.remove(home, { recursive: true });
    }
  },
);
