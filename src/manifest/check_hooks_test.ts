import assert from "node:assert/strict";
import { validateManifest } from "./mod.ts";

const EXTENSION = { name: "aws", version: "2.4.1", type: "provider" };

Deno.test("validateManifest() accepts hooks and permissions, with defaults", async (t) => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, unknown, unknown]> = [
    [
      "the issue's example",
      {
        hooks: { validate: "hooks/validate.ts", render: "hooks/render.wasm" },
        permissions: {
          net: ["api.example.com:443"],
          read: ["templates/"],
          env: ["AWS_REGION"],
          timeout: 10,
          memory: 64,
        },
      },
      { validate: "hooks/validate.ts", render: "hooks/render.wasm" },
      {
        net: ["api.example.com:443"],
        read: ["templates"],
        env: ["AWS_REGION"],
        timeout: 10,
        memory: 64,
      },
    ],
    [
      "hooks without permissions get the defaults",
      { hooks: { run: "./hooks/../hooks/x.js" } },
      { run: "hooks/x.js" },
      { net: [], read: [], env: [], timeout: 30, memory: 64 },
    ],
    [
      "a serialised manifest validates to itself",
      {
        hooks: { run: "hooks/x.mjs" },
        permissions: { net: [], read: ["."], env: [], timeout: 0.5, memory: 1 },
      },
      { run: "hooks/x.mjs" },
      { net: [], read: ["."], env: [], timeout: 0.5, memory: 1 },
    ],
  ];
  for (const [name, extra, hooks, permissions] of cases) {
    await t.step(name, () => {
      const result = validateManifest({ extension: EXTENSION, ...extra }, "extension.yaml");
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.manifest?.hooks, hooks);
      assert.deepEqual(result.manifest?.permissions, permissions);
    });
  }
});

Deno.test("validateManifest() reports each bad hook or permission at its path", async (t) => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string, RegExp]> = [
    ["an absolute hook path", { hooks: { x: "/etc/x.ts" } }, "hooks.x", /relative path/],
    ["a hook path leaving the extension", { hooks: { x: "a/../../x.ts" } }, "hooks.x", /leaves/],
    ["a hook that is not a module", { hooks: { x: "hooks/x.sh" } }, "hooks.x", /not a hook/],
    ["a bad hook name", { hooks: { "X Y": "x.ts" } }, 'hooks["X Y"]', /hook name/],
    ["hooks not a mapping", { hooks: ["x.ts"] }, "hooks", /expected a mapping/],
    [
      "a read path leaving",
      { permissions: { read: ["../other"] } },
      "permissions.read[0]",
      /leaves/,
    ],
    [
      "an absolute read path",
      { permissions: { read: ["/etc"] } },
      "permissions.read[0]",
      /relative/,
    ],
    [
      "an unknown kind",
      { permissions: { clipboard: true } },
      "permissions.clipboard",
      /unknown permission kind/,
    ],
    ["run", { permissions: { run: ["sh"] } }, "permissions.run", /processes/],
    ["ffi", { permissions: { ffi: true } }, "permissions.ffi", /native/],
    ["all", { permissions: { all: true } }, "permissions.all", /only the permissions/],
    ["write", { permissions: { write: ["/tmp"] } }, "permissions.write", /scratch/],
    [
      "a URL as host",
      { permissions: { net: ["https://x.io"] } },
      "permissions.net[0]",
      /not a host/,
    ],
    ["a wildcard host", { permissions: { net: ["*.x.io"] } }, "permissions.net[0]", /not a host/],
    ["a bad env name", { permissions: { env: ["A-B"] } }, "permissions.env[0]", /variable/],
    ["a zero timeout", { permissions: { timeout: 0 } }, "permissions.timeout", /above 0/],
    ["a huge memory", { permissions: { memory: 100000 } }, "permissions.memory", /at most 4096/],
    ["a fractional memory", { permissions: { memory: 1.5 } }, "permissions.memory", /whole/],
  ];
  for (const [name, extra, path, message] of cases) {
    await t.step(name, () => {
      const result = validateManifest({ extension: EXTENSION, ...extra }, "extension.yaml");
      assert.equal(result.manifest, undefined);
      assert.deepEqual(result.problems.map((problem) => problem.path), [path]);
      assert.match(result.problems[0]!.message, message);
    });
  }
});
