import assert from "node:assert/strict";
import { discoveredEntry } from "./_testing.ts";
import { rankExtensions } from "./search_extensions.ts";
import type { DiscoveredExtension, DiscoveredType } from "./types.ts";

function entry(
  name: string,
  type: DiscoveredType,
  description = "",
  source: "local" | "oci" = "oci",
): DiscoveredExtension {
  return discoveredEntry(name, { type, description, source });
}

const ENTRIES = [
  entry("aws", "provider", "Amazon Web Services"),
  entry("aws-eks", "cluster", "Managed Kubernetes on AWS"),
  entry("upcloud", "provider", "UpCloud servers"),
  entry("kubernetes", "taskserv", "Control plane"),
  entry("kubernetes", "taskserv", "Local build", "local"),
  entry("kube-proxy", "taskserv", "Service proxy"),
  entry("cilium", "taskserv", "eBPF networking for kubernetes"),
  entry("postgres", "taskserv", "Database, postgresql compatible"),
  entry("mystery", "unknown", "Pushed by oras"),
];

Deno.test("rankExtensions() orders hits by how well they match", async (t) => {
  const cases: [query: string, expected: string[]][] = [
    ["aws", ["aws", "aws-eks"]],
    ["AWS", ["aws", "aws-eks"]],
    ["eks", ["aws-eks"]],
    ["kube", ["kube-proxy", "kubernetes", "kubernetes", "aws-eks", "cilium"]],
    ["kubernetes", ["kubernetes", "kubernetes", "aws-eks", "cilium"]],
    ["kuberentes", ["kubernetes", "kubernetes"]],
    ["upclud", ["upcloud"]],
    ["pstgrs", ["postgres"]],
    ["provider", ["aws", "upcloud"]],
    ["clusters", ["aws-eks"]],
    ["ebpf", ["cilium"]],
    ["sql", ["postgres"]],
    ["kubernetes aws", ["aws-eks"]],
    ["oras", ["mystery"]],
    ["nothing-like-this", []],
  ];
  for (const [query, expected] of cases) {
    await t.step(`"${query}"`, () => {
      assert.deepEqual(rankExtensions(ENTRIES, query).map((h) => h.name), expected);
    });
  }
});

Deno.test("rankExtensions() filters by type, limits and explains matches", () => {
  assert.deepEqual(
    rankExtensions(ENTRIES, "kube", { type: "cluster" }).map((h) => h.name),
    ["aws-eks"],
  );
  assert.equal(rankExtensions(ENTRIES, "kube", { limit: 2 }).length, 2);
  const [exact, fuzzy] = [
    rankExtensions(ENTRIES, "aws")[0]!,
    rankExtensions(ENTRIES, "upclud")[0]!,
  ];
  assert.deepEqual(exact.matched, ["name"]);
  assert.equal(exact.score, 100);
  assert.deepEqual(fuzzy.matched, ["name~"]);
  assert.ok(fuzzy.score < exact.score);
  const ties = rankExtensions(ENTRIES, "kubernetes");
  assert.deepEqual(ties.slice(0, 2).map((h) => h.source), ["oci", "local"], "input order kept");
});

Deno.test("rankExtensions() refuses an empty query", () => {
  for (const query of ["", "   "]) {
    assert.throws(() => rankExtensions(ENTRIES, query), { code: "USAGE" });
  }
});
