import type { HookPermissions } from "../manifest/types.ts";
import type { HookGrants } from "./types.ts";

/**
 * The approvable grants of a manifest's permissions: hosts, read paths, variables.
 *
 * @example
 * ```ts
 * import { grantsOf } from "./approval.ts";
 * import assert from "node:assert/strict";
 *
 * const grants = grantsOf({ net: ["a.io"], read: [], env: ["X"], timeout: 30, memory: 64 });
 * assert.deepEqual(grants, { net: ["a.io"], read: [], env: ["X"] });
 * ```
 *
 * @param permissions The manifest's `permissions` (absent: none).
 * @returns Sorted copies of the three lists.
 */
export function grantsOf(permissions: HookPermissions | undefined): HookGrants {
  return {
    net: [...(permissions?.net ?? [])].sort(),
    read: [...(permissions?.read ?? [])].sort(),
    env: [...(permissions?.env ?? [])].sort(),
  };
}

/**
 * What `requested` asks for beyond `approved`: each kind's entries not approved. A host
 * approved without a port covers every port of it, as Deno's net permission does.
 *
 * @example
 * ```ts
 * import { unapprovedGrants } from "./approval.ts";
 * import assert from "node:assert/strict";
 *
 * const approved = { net: ["a.io"], read: ["templates"], env: [] };
 * const asked = { net: ["a.io:443", "b.io"], read: ["templates"], env: ["HOME"] };
 * assert.deepEqual(unapprovedGrants(asked, approved), { net: ["b.io"], read: [], env: ["HOME"] });
 * ```
 *
 * @param requested What a version of the extension asks for.
 * @param approved What the user approved (absent: nothing).
 * @returns The grants still needing approval (empty lists when none).
 */
export function unapprovedGrants(
  requested: HookGrants,
  approved: HookGrants | undefined,
): HookGrants {
  const ok = approved ?? { net: [], read: [], env: [] };
  return {
    net: requested.net.filter((host) =>
      !ok.net.includes(host) && !ok.net.includes(host.replace(/:\d+$/, ""))
    ),
    read: requested.read.filter((path) =>
      !ok.read.some((held) => held === "." || held === path || path.startsWith(held + "/"))
    ),
    env: requested.env.filter((name) => !ok.env.includes(name)),
  };
}

/**
 * Whether a set of grants is empty.
 *
 * @example
 * ```ts
 * import { isEmptyGrants } from "./approval.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isEmptyGrants({ net: [], read: [], env: [] }), true);
 * ```
 *
 * @param grants The grants.
 * @returns True when no kind lists anything.
 */
export function isEmptyGrants(grants: HookGrants): boolean {
  return grants.net.length === 0 && grants.read.length === 0 && grants.env.length === 0;
}

/**
 * One line describing grants for people: `net: a.io:443; read: templates; env: X`, or
 * `nothing` (the hook only computes).
 *
 * @example
 * ```ts
 * import { describeGrants } from "./approval.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(describeGrants({ net: ["a.io"], read: [], env: ["X"] }), "net: a.io; env: X");
 * assert.equal(describeGrants({ net: [], read: [], env: [] }), "nothing");
 * ```
 *
 * @param grants The grants.
 * @returns The line.
 */
export function describeGrants(grants: HookGrants): string {
  const parts = (["net", "read", "env"] as const)
    .filter((kind) => grants[kind].length > 0)
    .map((kind) => `${kind}: ${grants[kind].join(", ")}`);
  return parts.length === 0 ? "nothing" : parts.join("; ");
}
