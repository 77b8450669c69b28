/**
 * Headless Chromium for the UI tests: Debian's `chromium` (`/usr/bin/chromium`, installed by
 * `.ci/run`) driven with npm `puppeteer-core` (no browser download). Where it is missing the
 * tests say so and skip; in CI (`CI=true`) a missing browser is a failure.
 *
 * @module
 */

import puppeteer, { type Browser } from "puppeteer-core";
import { fileURLToPath } from "node:url";

/** The browser binary the tests drive. */
export const CHROMIUM = Deno.env.get("PROVISIONING_TEST_CHROMIUM") ?? "/usr/bin/chromium";

/** Where the tests leave screenshots (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL("./screenshots/", import.meta.url));

/** Whether the browser binary is there. */
export function chromiumFound(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * Declares a test that needs Chromium: skipped loudly without it, failing in CI.
 * Sanitizers are off: the browser's DevTools socket outlives single steps by design.
 */
export function browserTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  if (!chromiumFound()) {
    if (Deno.env.get("CI") === "true") {
      Deno.test(name, () => {
        throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
      });
      return;
    }
    console.error(`SKIP: "${name}" needs ${CHROMIUM} (apt-get install -y chromium)`);
    Deno.test({ name, ignore: true, fn: () => {} });
    return;
  }
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn });
}

/** Launches headless Chromium (as root here, so without its sandbox). */
export async function launchBrowser(): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
}
