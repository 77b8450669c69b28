/**
 * The release script (`scripts/release.ts`): it builds each target exactly like
 * `deno task compile`, and its `SHA256SUMS` verifies with the real `sha256sum -c` (and fails
 * for a changed file). `deno compile` itself cannot run here (its runtime download is
 * unreachable), so the binaries are not built in this test; the checksum file is written
 * over stand-in files.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  binaryName,
  bundleArgs,
  compileArgs,
  RELEASE_TARGETS,
  writeSha256Sums,
} from "../../scripts/release.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = `${ROOT}scripts/release.ts`;

Deno.test("release: each target is built like deno task compile", async (t) => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const task = (config.tasks.compile as string).split(" ");
  for (const target of RELEASE_TARGETS) {
    await t.step(target, () => {
      const expected = [...task.slice(1)];
      const output = expected.indexOf("-o");
      expected.splice(output, 2, "--target", target, "-o", `dist/${binaryName("0.1.0", target)}`);
      assert.deepEqual(compileArgs("0.1.0", target), expected);
    });
  }
  await t.step("the bundle is built like deno task bundle", () => {
    const task = (config.tasks.bundle as string).split(" ").slice(1);
    task.splice(task.indexOf("-o") + 1, 1, "dist/provisioning-0.1.0.js");
    assert.deepEqual(bundleArgs("0.1.0"), task);
  });
  await t.step("--dry-run lists every target and the bundle", async () => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "-A", SCRIPT, "--dry-run"],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
    assert.equal(lines.length, RELEASE_TARGETS.length + 1);
    assert.match(lines.at(-1)!, /^deno bundle .* -o dist\/provisioning-[\d.]+\.js main\.ts$/);
  });
});

Deno.test("release: SHA256SUMS verifies with sha256sum -c and catches a changed file", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "release-" });
  try {
    const names = [binaryName("0.1.0", RELEASE_TARGETS[0]!), "provisioning-0.1.0.js"];
    for (const name of names) await Deno.writeTextFile(`${dir}/${name}`, `stand-in for ${name}\n`);
    await writeSha256Sums(dir, names);
    const check = async () => {
      const output = await new Deno.Command("sha256sum", {
        args: ["-c", "SHA256SUMS"],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
      return { code: output.code, text: new TextDecoder().decode(output.stdout) };
    };
    await t.step("unchanged files pass", async () => {
      const { code, text } = await check();
      assert.equal(code, 0, text);
      for (const name of names) {
        assert.match(text, new RegExp(`${name.replaceAll(".", "\\.")}: OK`));
      }
    });
    await t.step("a changed file fails", async () => {
      await Deno.writeTextFile(`${dir}/${names[0]}`, "tampered\n");
      const { code, text } = await check();
      assert.notEqual(code, 0);
      assert.match(text, /: FAILED/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
