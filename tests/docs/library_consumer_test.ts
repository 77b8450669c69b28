/**
 * The library used from another project exactly as docs/library.md shows: a consumer's
 * `deno.json` maps `@provisioning/ext` to this checkout's `src/mod.ts`; its script
 * type-checks under strict options and loads the bundled examples with `loadExtension`
 * (`source`, the name the discovery functions use, and the seed's `sourceType`).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CHECKOUT = fileURLToPath(new URL("../../", import.meta.url));

const SCRIPT = `import {
  listExtensions,
  loadConfig,
  loadExtension,
  type LoadResult,
} from "@provisioning/ext";

const home = Deno.cwd();
const config = await loadConfig({ cwd: home, home, env: {} });
const bySource: LoadResult = await loadExtension("taskserv", "kubernetes", "~1.28.0", {
  config,
  source: "examples",
});
const bySourceType = await loadExtension(undefined, "aws", "latest", {
  config,
  sourceType: "examples",
});
const list = await listExtensions({ config, source: "examples", format: "json" });
console.log(JSON.stringify({
  kubernetes: [bySource.success, bySource.version, bySource.source],
  aws: [bySourceType.success, bySourceType.type],
  listed: list.rows.map((r) => r.name).sort(),
}));
`;

async function deno(args: string[], cwd: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("a consumer project imports @provisioning/ext by path, type-checks and loads", async () => {
  const project = await Deno.makeTempDir({ prefix: "library-consumer-" });
  try {
    await Deno.writeTextFile(
      join(project, "deno.json"),
      JSON.stringify(
        {
          imports: { "@provisioning/ext": join(CHECKOUT, "src", "mod.ts") },
          compilerOptions: { strict: true, exactOptionalPropertyTypes: true },
        },
        null,
        2,
      ),
    );
    await Deno.writeTextFile(join(project, "main.ts"), SCRIPT);
    const checked = await deno(["check", "main.ts"], project);
    assert.equal(checked.code, 0, checked.stderr);
    const run = await deno(["run", "--allow-read", "--allow-env", "main.ts"], project);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      kubernetes: [true, "1.28.0", "examples"],
      aws: [true, "provider"],
      listed: ["aws", "buildkit", "kubernetes"],
    });

    // A type error in the consumer is caught by the check: the types really are imported.
    await Deno.writeTextFile(
      join(project, "bad.ts"),
      `import { loadExtension } from "@provisioning/ext";\nawait loadExtension("taskserv", "x", "1.0.0", { source: "nowhere" });\n`,
    );
    const bad = await deno(["check", "bad.ts"], project);
    assert.notEqual(bad.code, 0, "a wrong source name must not type-check");
    assert.match(bad.stderr, /nowhere/);
  } finally {
    await Deno.remove(project, { recursive: true });
  }
});
