/**
 * Dependency resolution: a workspace's requirements plus every chosen extension's
 * `dependencies`, settled on one version per name — the highest that satisfies every
 * constraint on it (pre-releases only when a constraint names one). When a new constraint
 * rules out a version already chosen, that name is chosen again and the constraints its old
 * version imposed are withdrawn, until nothing changes. A name no version satisfies is a
 * conflict listing every constraint and who imposed it; a cycle is reported with its path.
 *
 * The resolver only asks an {@linkcode ResolveIndex} which versions exist and what a version
 * depends on, so it runs the same over the real sources (`loaderIndex`) and in tests.
 *
 * @module
 */

import type { SourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { isDigest } from "../oci/reference.ts";
import {
  parseVersionSpec,
  resolveVersion,
  satisfiesConstraint,
  sortBySemver,
} from "../versions/mod.ts";

/** One thing the workspace asks for. */
export interface Requirement {
  /** Extension name. */
  name: string;
  /** Version spec (`^1.2.0`; `*` for any), or a content digest (`sha256:…`): exactly that. */
  spec: string;
  /** The type it must have, when the name alone is ambiguous. */
  type?: ExtensionType;
  /** Where to find it, when not every configured source may answer. */
  place?: Place;
}

/** Where a workspace requirement is looked up (its dependencies use every source). */
export interface Place {
  /** One source instead of the configured order. */
  source?: SourceType;
  /** A registry reference (`oci://host/ns/name`): that repository alone. */
  reference?: string;
}

/** A constraint on a name, and who imposed it (`workspace` or `name@version`). */
export interface Constraint {
  spec: string;
  by: string;
}

/** What an index knows of one name. */
export interface IndexEntry {
  /** Every version available, any order. */
  versions: readonly string[];
  /** The extension's type. */
  type: ExtensionType;
}

/** What an index knows of one version. */
export interface IndexVersion {
  /** Name → version spec (`*` for any). */
  dependencies: Readonly<Record<string, string>>;
  /** Name → type, for dependencies that say it. */
  dependencyTypes?: Readonly<Record<string, ExtensionType>>;
}

/** Where the resolver learns versions and dependencies. */
export interface ResolveIndex {
  /**
   * The versions of a name.
   *
   * @param name Extension name.
   * @param type Its type, when known.
   * @param place Where the workspace said to look, if it did.
   * @param digest A content digest pinned by the workspace: the one version it holds.
   * @throws {ProvisioningError} `NOT_FOUND` when no source has it; `USAGE` when it exists as
   *   several types and none was given.
   */
  entry(name: string, type?: ExtensionType, place?: Place, digest?: string): Promise<IndexEntry>;
  /** The dependencies of one version (of the pinned digest, when one is given). */
  version(
    name: string,
    type: ExtensionType,
    version: string,
    place?: Place,
    digest?: string,
  ): Promise<IndexVersion>;
}

/** One extension of the resolved graph. */
export interface ResolvedNode {
  name: string;
  type: ExtensionType;
  version: string;
  /** The constraints that chose it, sorted by who imposed them. */
  constraints: Constraint[];
  /** The names it depends on, sorted. */
  dependencies: string[];
}

/** The resolved graph: one node per name, sorted by name. */
export interface ResolvedGraph {
  nodes: ResolvedNode[];
}

/** Options of {@linkcode resolveDependencies}. */
export interface ResolveOptions {
  /** Most choices before giving up (a guard against constraints that never settle). */
  maxSteps?: number;
}

const WORKSPACE = "workspace";

/**
 * Resolves requirements and their dependencies to one version per name.
 *
 * @example A diamond that agrees
 * ```ts
 * import { resolveDependencies } from "./resolve_dependencies.ts";
 * import assert from "node:assert/strict";
 *
 * const deps: Record<string, Record<string, string>> = {
 *   "app@1.0.0": { web: "^1.0.0", db: "^2.0.0" },
 *   "web@1.1.0": { db: "~2.1.0" },
 * };
 * const versions: Record<string, string[]> = {
 *   app: ["1.0.0"], web: ["1.0.0", "1.1.0"], db: ["2.0.0", "2.1.3", "2.2.0"],
 * };
 * const graph = await resolveDependencies([{ name: "app", spec: "*" }], {
 *   entry: (name) => Promise.resolve({ versions: versions[name]!, type: "taskserv" }),
 *   version: (name, _type, v) => Promise.resolve({ dependencies: deps[`${name}@${v}`] ?? {} }),
 * });
 * assert.deepEqual(graph.nodes.map((n) => `${n.name}@${n.version}`), [
 *   "app@1.0.0", "db@2.1.3", "web@1.1.0",
 * ]);
 * ```
 *
 * @param requirements What the workspace asks for.
 * @param index Where versions and dependencies come from.
 * @param options A step guard.
 * @returns The graph.
 * @throws {ProvisioningError} `DEPENDENCY_CONFLICT` (exit 3) naming every constraint on the
 *   name and the versions available; `NOT_FOUND` naming the path that required a missing
 *   extension; `DEPENDENCY_CYCLE` (exit 2) printing the cycle; `INVALID_VERSION_SPEC`.
 */
export async function resolveDependencies(
  requirements: readonly Requirement[],
  index: ResolveIndex,
  options: ResolveOptions = {},
): Promise<ResolvedGraph> {
  const constraints = new Map<string, Constraint[]>();
  const types = new Map<string, ExtensionType | undefined>();
  const places = new Map<string, Place>();
  const digests = new Map<string, string>();
  const chosen = new Map<string, { version: string; type: ExtensionType; deps: string[] }>();
  const entries = new Map<string, Promise<IndexEntry>>();
  const unsatisfied = new Map<string, readonly string[]>();
  const queue: string[] = [];
  const enqueue = (name: string) => {
    if (!queue.includes(name)) queue.push(name);
  };
  const constrain = (name: string, spec: string, by: string, type: ExtensionType | undefined) => {
    if (isDigest(spec)) {
      const pinned = digests.get(name);
      if (pinned !== undefined && pinned !== spec) {
        throw new ProvisioningError(
          "DEPENDENCY_CONFLICT",
          `"${name}" is pinned to two digests: ${pinned} and ${spec}`,
        );
      }
      digests.set(name, spec);
    } else parseVersionSpec(spec); // a bad spec fails here, naming itself
    const list = constraints.get(name) ?? [];
    list.push({ spec, by });
    constraints.set(name, list);
    if (type !== undefined) types.set(name, type);
    enqueue(name);
  };
  const withdraw = (by: string) => {
    for (const [name, list] of constraints) {
      const kept = list.filter((c) => c.by !== by);
      if (kept.length !== list.length) {
        constraints.set(name, kept);
        enqueue(name);
      }
    }
  };
  const entryOf = (name: string) => {
    let entry = entries.get(name);
    if (entry === undefined) {
      entry = index.entry(name, types.get(name), places.get(name), digests.get(name)).catch(
        (error) => {
          throw missingError(error, name, constraints.get(name) ?? []);
        },
      );
      entries.set(name, entry);
    }
    return entry;
  };

  for (const r of requirements) {
    if (r.place !== undefined) places.set(r.name, r.place);
    constrain(r.name, r.spec, WORKSPACE, r.type);
  }
  const maxSteps = options.maxSteps ?? 10_000;
  for (let step = 0; queue.length > 0; step++) {
    if (step >= maxSteps) {
      throw new ProvisioningError("DEPENDENCY_CONFLICT", "Dependency resolution did not settle");
    }
    const name = queue.shift()!;
    const list = constraints.get(name) ?? [];
    const previous = chosen.get(name);
    if (list.length === 0) {
      // Nobody asks for it any more: drop it and what it imposed.
      unsatisfied.delete(name);
      if (previous !== undefined) {
        chosen.delete(name);
        withdraw(`${name}@${previous.version}`);
      }
      continue;
    }
    const entry = await entryOf(name);
    // A digest pin is met by the one version its entry holds; version specs still apply to it.
    const fits = entry.versions.filter((v) =>
      list.every((c) => isDigest(c.spec) || satisfiesConstraint(v, c.spec))
    );
    const version = resolveVersion("latest", fits);
    if (version === undefined) {
      // Reported once nothing else changes, with every constraint gathered by then.
      unsatisfied.set(name, entry.versions);
      continue;
    }
    unsatisfied.delete(name);
    if (previous?.version === version) continue;
    if (previous !== undefined) withdraw(`${name}@${previous.version}`);
    const found = await index.version(
      name,
      entry.type,
      version,
      places.get(name),
      digests.get(name),
    );
    const by = `${name}@${version}`;
    const deps = Object.keys(found.dependencies).sort();
    chosen.set(name, { version, type: entry.type, deps });
    for (const dep of deps) {
      constrain(dep, found.dependencies[dep]!, by, found.dependencyTypes?.[dep]);
    }
  }
  const [stuck] = [...unsatisfied.keys()].sort();
  if (stuck !== undefined) {
    throw conflictError(stuck, constraints.get(stuck) ?? [], unsatisfied.get(stuck)!);
  }
  checkCycles(chosen);
  const nodes = [...chosen.entries()].map(([name, c]): ResolvedNode => ({
    name,
    type: c.type,
    version: c.version,
    constraints: [...(constraints.get(name) ?? [])].sort((a, b) => compare(a.by, b.by)),
    dependencies: c.deps,
  }));
  return { nodes: nodes.sort((a, b) => compare(a.name, b.name)) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeConstraints(list: readonly Constraint[]): string[] {
  return list.map((c) => `"${c.spec}" from ${c.by === WORKSPACE ? "the workspace" : c.by}`);
}

function conflictError(
  name: string,
  list: readonly Constraint[],
  available: readonly string[],
): ProvisioningError {
  const versions = sortBySemver(available).reverse().join(", ") || "none";
  return new ProvisioningError(
    "DEPENDENCY_CONFLICT",
    list.length === 1
      ? `No version of "${name}" satisfies ${describeConstraints(list)[0]}`
      : `No version of "${name}" satisfies all ${list.length} constraints on it`,
    {
      details: [...describeConstraints(list), `available: ${versions}`],
      hint: "Relax one of the constraints, or publish a version that satisfies them all",
    },
  );
}

function missingError(error: unknown, name: string, list: readonly Constraint[]): unknown {
  if (!(error instanceof ProvisioningError) || error.code !== "NOT_FOUND") return error;
  const by = list.map((c) => c.by === WORKSPACE ? "the workspace" : c.by);
  return new ProvisioningError(
    "NOT_FOUND",
    `Extension "${name}" (required by ${by.join(", ")}) not found in any source`,
    { cause: error, details: [error.message] },
  );
}

/** Refuses a cycle among the chosen versions, printing it (`a@1 → b@2 → a@1`). */
function checkCycles(
  chosen: ReadonlyMap<string, { version: string; deps: readonly string[] }>,
): void {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (name: string) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      const cycle = [...path.slice(path.indexOf(name)), name]
        .map((n) => `${n}@${chosen.get(n)!.version}`);
      throw new ProvisioningError(
        "DEPENDENCY_CYCLE",
        `Dependency cycle: ${cycle.join(" → ")}`,
        { hint: "Extensions cannot depend on each other in a loop; remove one dependency" },
      );
    }
    state.set(name, "open");
    path.push(name);
    for (const dep of chosen.get(name)?.deps ?? []) visit(dep);
    path.pop();
    state.set(name, "done");
  };
  for (const name of [...chosen.keys()].sort()) visit(name);
}
