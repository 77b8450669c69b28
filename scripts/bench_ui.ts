/**
 * Benchmark: the `ext ui` catalogue with 500 extensions across two sources, in headless
 * Chromium — time to first paint and page weight.
 *
 * 1. Starts the harness registry and pushes `--oci` (default 250) tiny extensions; writes
 *    `--local` (default 250) extension folders for the local source.
 * 2. Starts the real CLI `provisioning ext ui` (broad launch, scoped worker) against both.
 * 3. Drives Debian's `/usr/bin/chromium` with `puppeteer-core`: the first load (the server
 *    discovers both sources on that request), then `--runs` (default 5) loads with the
 *    listing held; reports `first-contentful-paint` from the page's paint entries, and
 *    `DOMContentLoaded` and `load`.
 * 4. Page weight: the bytes of the catalogue's HTML, the stylesheet and the script (served
 *    uncompressed), and of one extension page.
 * 5. Search as you type: time from typing a query to the new cards being shown (median).
 *
 * Usage: `deno run --allow-all scripts/bench_ui.ts [--oci 250] [--local 250] [--runs 5]`
 *
 * @module
 */

import { join } from "node:path";
import type { Page } from "puppeteer-core";
import { startRegistry } from "../tests/harness/registry.ts";
import { clientFor } from "../tests/oci/_helpers.ts";
import {
  type FixtureExtension,
  inParallel,
  pushExtension,
  writeLocalExtension,
} from "../tests/discovery/_fixtures.ts";
import { launchBrowser } from "../tests/ui/_browser.ts";
import { startUi } from "../tests/ui/_ui_process.ts";
import { flag, median } from "./_bench_util.ts";

const TYPES = ["provider", "taskserv", "cluster"] as const;

async function paintTimes(page: Page): Promise<{ fcp: number; dcl: number; load: number }> {
  await page.waitForFunction(() =>
    performance.getEntriesByType("paint").some((e) => e.name === "first-contentful-paint")
  );
  return await page.evaluate(() => {
    const paint = performance.getEntriesByType("paint")
      .find((e) => e.name === "first-contentful-paint");
    const nav = performance.getEntriesByType("navigation")[0] as unknown as {
      domContentLoadedEventEnd: number;
      loadEventEnd: number;
    };
    return {
      fcp: paint?.startTime ?? NaN,
      dcl: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
    };
  });
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

if (import.meta.main) {
  const ociCount = flag(Deno.args, "oci", 250);
  const localCount = flag(Deno.args, "local", 250);
  const runs = flag(Deno.args, "runs", 5);
  const reg = await startRegistry();
  const home = await Deno.makeTempDir({ prefix: "bench-ui-" });
  try {
    const namespace = `bench-ui-${crypto.randomUUID().slice(0, 8)}`;
    const localDir = join(home, "local");
    await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
    await Deno.writeTextFile(
      join(home, ".provisioning", "config.toml"),
      "[oci]\nretry_count = 0\n",
    );
    const oci: FixtureExtension[] = Array.from({ length: ociCount }, (_, i) => ({
      name: `oci-ext-${String(i).padStart(3, "0")}`,
      type: TYPES[i % 3]!,
      versions: ["1.0.0"],
      description: `Registry extension number ${i} for the catalogue benchmark`,
    }));
    let started = performance.now();
    {
      using client = clientFor(reg, { settings: { namespace } });
      await inParallel(oci, 8, (ext) => pushExtension(client, namespace, ext));
    }
    const pushMs = performance.now() - started;
    started = performance.now();
    await inParallel(
      Array.from({ length: localCount }, (_, i) => i),
      16,
      (i) =>
        writeLocalExtension(localDir, {
          name: `local-ext-${String(i).padStart(3, "0")}`,
          type: TYPES[i % 3]!,
          description: `Local folder extension number ${i}`,
        }, "0.1.0"),
    );
    const localMs = performance.now() - started;
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
      started = performance.now();
      await page.goto(ui.url, { waitUntil: "load" });
      const coldWallMs = performance.now() - started;
      const cold = await paintTimes(page);
      const cards = await page.$$eval("#results .card", (c) => c.length);
      const warm: { fcp: number; dcl: number; load: number }[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(ui.url, { waitUntil: "load" });
        warm.push(await paintTimes(page));
      }
      const baseline: number[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(`${ui.url}cache`, { waitUntil: "load" });
        baseline.push((await paintTimes(page)).fcp);
      }
      const bytes = async (path: string) =>
        (await (await fetch(new URL(path, ui.url))).arrayBuffer()).byteLength;
      const html = await bytes("/");
      const css = await bytes("/assets/ui.css");
      const js = await bytes("/assets/ui.js");
      const extPage = await bytes("/ext/oci/taskserv/oci-ext-001");
      const searchTimes: number[] = [];
      for (const query of ["oci-ext-1", "local 12", "cluster", "zzzz", "ext-2"]) {
        await page.goto(ui.url, { waitUntil: "load" });
        const t0 = performance.now();
        await page.type("#q", query, { delay: 0 });
        const expected = new URLSearchParams({ q: query }).toString();
        await page.waitForFunction(
          (q: string) =>
            (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } })
              .document.body.dataset.searched === q,
          {},
          expected,
        );
        searchTimes.push(performance.now() - t0);
      }
      console.log(`\next ui catalogue: ${cards} cards (${ociCount} oci + ${localCount} local)`);
      console.log(
        `setup: push ${ociCount} to the registry ${ms(pushMs)}, write ${localCount} folders ${
          ms(localMs)
        }`,
      );
      console.log("| measure | value |");
      console.log("| --- | --- |");
      console.log(
        `| first load, first-contentful-paint (includes discovering both sources) | ${
          ms(cold.fcp)
        } (wall ${ms(coldWallMs)}) |`,
      );
      console.log(
        `| later loads, first-contentful-paint, median of ${runs} | ${
          ms(median(warm.map((w) => w.fcp)))
        } |`,
      );
      console.log(
        `| baseline: the small cache page, first-contentful-paint, median of ${runs} | ${
          ms(median(baseline))
        } |`,
      );
      console.log(
        `| later loads, DOMContentLoaded / load, median | ${ms(median(warm.map((w) => w.dcl)))} / ${
          ms(median(warm.map((w) => w.load)))
        } |`,
      );
      console.log(
        `| page weight: HTML + CSS + JS | ${html} + ${css} + ${js} = ${html + css + js} bytes |`,
      );
      console.log(`| extension page HTML | ${extPage} bytes |`);
      console.log(
        `| search as you type, keystrokes to cards shown, median of 5 | ${
          ms(median(searchTimes))
        } |`,
      );
    } finally {
      await browser.close();
      await ui.stop();
    }
  } finally {
    await reg.stop();
    await Deno.remove(home, { recursive: true });
  }
}
