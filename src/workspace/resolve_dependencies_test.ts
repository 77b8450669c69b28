import assert from "node:assert/strict";
import type { ExtensionType } from "../manifest/types.ts";
import { ProvisioningError } from "../errors.ts";
import {
  type Requirement,
  resolveDependencies,
  type ResolveIndex,
} from "./resolve_dependencies.ts";

/** An index over a table: `name@version` → dependencies; types default to taskserv. */
function tableIndex(
  versions: Record<string, string[]>,
  deps: Record<string, Record<string, string>> = {},
  asked: string[] = [],
): ResolveIndex {
  return {
    entry: (name) => {
      const list = versions[name];
      if (list === undefined) {
        return Promise.reject(new ProvisioningError("NOT_FOUND", `Extension "${name}" not found`));
      }
      return Promise.resolve({ versions: list, type: "taskserv" as ExtensionType });
    },
    version: (name, _type, version) => {
      asked.push(`${name}@${version}`);
      return Promise.resolve({ dependencies: deps[`${name}@${version}`] ?? {} });
    },
  };
}

const resolved = async (requirements: Requirement[], index: ResolveIndex) =>
  (await resolveDependencies(requirements, index)).nodes.map((n) => `${n.name}@${n.version}`);

Deno.test("resolveDependencies() walks a three-level graph, highest version first", async () => {
  const index = tableIndex(
    { a: ["1.0.0", "1.1.0"], b: ["2.0.0", "2.3.0"], c: ["0.1.0", "0.2.0", "1.0.0-rc.1"] },
    { "a@1.1.0": { b: "^2.0.0" }, "b@2.3.0": { c: "*" } },
  );
  assert.deepEqual(await resolved([{ name: "a", spec: "^1.0.0" }], index), [
    "a@1.1.0",
    "b@2.3.0",
    "c@0.2.0", // "*" takes the highest release, not the pre-release
  ]);
});

Deno.test("resolveDependencies() records every constraint and who imposed it", async () => {
  const graph = await resolveDependencies(
    [{ name: "app", spec: "*" }, { name: "db", spec: ">=2.0.0" }],
    tableIndex(
      { app: ["1.0.0"], web: ["1.0.0"], db: ["2.0.0", "2.1.0", "3.0.0"] },
      { "app@1.0.0": { web: "*", db: "^2.0.0" }, "web@1.0.0": { db: "~2.0.0" } },
    ),
  );
  const db = graph.nodes.find((n) => n.name === "db")!;
  assert.equal(db.version, "2.0.0");
  assert.deepEqual(db.constraints, [
    { spec: "^2.0.0", by: "app@1.0.0" },
    { spec: "~2.0.0", by: "web@1.0.0" },
    { spec: ">=2.0.0", by: "workspace" },
  ]);
  assert.deepEqual(graph.nodes.find((n) => n.name === "app")!.dependencies, ["db", "web"]);
});

Deno.test("resolveDependencies() re-chooses a name and withdraws what its old version imposed", async () => {
  // a@2.0.0 would pull in x; b later limits a to ^1, whose version does not need x.
  const index = tableIndex(
    { a: ["1.0.0", "2.0.0"], b: ["1.0.0"], x: ["1.0.0"] },
    { "a@2.0.0": { x: "*" }, "b@1.0.0": { a: "^1.0.0" } },
  );
  assert.deepEqual(
    await resolved([{ name: "a", spec: "*" }, { name: "b", spec: "*" }], index),
    ["a@1.0.0", "b@1.0.0"],
  );
});

Deno.test("resolveDependencies() reports a conflict with every constraint and the versions", async () => {
  const index = tableIndex(
    { app: ["1.0.0"], web: ["1.0.0"], db: ["1.9.0", "2.0.0", "3.0.0"] },
    { "app@1.0.0": { web: "*", db: "^3.0.0" }, "web@1.0.0": { db: "^2.0.0" } },
  );
  await assert.rejects(resolveDependencies([{ name: "app", spec: "*" }], index), (e: unknown) => {
    const error = e as ProvisioningError;
    assert.equal(error.code, "DEPENDENCY_CONFLICT");
    assert.equal(error.exitCode, 3);
    assert.equal(error.message, 'No version of "db" satisfies all 2 constraints on it');
    assert.deepEqual(error.details, [
      '"^3.0.0" from app@1.0.0',
      '"^2.0.0" from web@1.0.0',
      "available: 3.0.0, 2.0.0, 1.9.0",
    ]);
    return true;
  });
});

Deno.test("resolveDependencies() prints a cycle", async () => {
  const index = tableIndex(
    { a: ["1.0.0"], b: ["1.0.0"], c: ["1.0.0"] },
    { "a@1.0.0": { b: "*" }, "b@1.0.0": { c: "*" }, "c@1.0.0": { a: "*" } },
  );
  await assert.rejects(resolveDependencies([{ name: "a", spec: "*" }], index), {
    code: "DEPENDENCY_CYCLE",
    message: "Dependency cycle: a@1.0.0 → b@1.0.0 → c@1.0.0 → a@1.0.0",
  });
});

Deno.test("resolveDependencies() names who required a missing extension", async () => {
  const index = tableIndex({ a: ["1.0.0"] }, { "a@1.0.0": { ghost: "^1.0.0" } });
  await assert.rejects(resolveDependencies([{ name: "a", spec: "*" }], index), {
    code: "NOT_FOUND",
    message: 'Extension "ghost" (required by a@1.0.0) not found in any source',
  });
});

Deno.test("resolveDependencies() reads each chosen version's dependencies once", async () => {
  const asked: string[] = [];
  const index = tableIndex(
    { a: ["1.0.0"], b: ["1.0.0"], c: ["1.0.0"] },
    { "a@1.0.0": { b: "*", c: "*" }, "b@1.0.0": { c: "*" } },
    asked,
  );
  await resolveDependencies([{ name: "a", spec: "*" }], index);
  assert.deepEqual(asked.sort(), ["a@1.0.0", "b@1.0.0", "c@1.0.0"]);
});
