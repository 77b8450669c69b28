import type { ResolvedConfig } from "../config/types.ts";
import { readManifest } from "../manifest/read_manifest.ts";
import type { ExtensionManifest } from "../manifest/types.ts";
import { readHooksConfig } from "./hooks_config.ts";
import { describeGrants, grantsOf, isEmptyGrants, unapprovedGrants } from "./approval.ts";
import type { HookGrants } from "./types.ts";

/**
 * The note `ext load` and `ext pull` print for an extension whose hooks ask for permissions
 * not approved yet, so the request is seen when the extension arrives, not first when a hook
 * runs; undefined when it has no hooks or everything it asks for is approved.
 *
 * @example
 * ```ts
 * import { hooksNote } from "./hooks_note.ts";
 * import assert from "node:assert/strict";
 *
 * const manifest = {
 *   extension: { name: "web", version: "1.0.0", type: "taskserv" as const },
 *   hooks: { render: "hooks/render.ts" },
 *   permissions: { net: ["a.example"], read: [], env: [], timeout: 30, memory: 64 },
 * };
 * assert.equal(
 *   hooksNote(manifest, undefined),
 *   "web 1.0.0 has hooks (render) asking for net: a.example; approve them with " +
 *     "`provisioning ext approve web`",
 * );
 * assert.equal(hooksNote(manifest, { net: ["a.example"], read: [], env: [] }), undefined);
 * ```
 *
 * @param manifest The loaded manifest.
 * @param approved What is approved for it (`[hooks.approved]`).
 * @returns The note, or undefined.
 */
export function hooksNote(
  manifest: ExtensionManifest | undefined,
  approved: HookGrants | undefined,
): string | undefined {
  const names = Object.keys(manifest?.hooks ?? {});
  if (manifest === undefined || names.length === 0) return undefined;
  const missing = unapprovedGrants(grantsOf(manifest.permissions), approved);
  if (isEmptyGrants(missing)) return undefined;
  const { name, version } = manifest.extension;
  return `${name} ${version} has hooks (${names.join(", ")}) asking for ${
    describeGrants(missing)
  }; approve them with \`provisioning ext approve ${name}\``;
}

/**
 * The {@linkcode hooksNote} of each extension folder (in order, those that need one): what
 * `ext install` prints for the extensions it placed.
 *
 * @example
 * ```ts
 * import { hooksNotesOf } from "./hooks_note.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/extension.yaml`,
 *   "extension: {name: web, version: 1.0.0, type: taskserv}\nhooks: {h: h.ts}\npermissions: {env: [X]}\n",
 * );
 * const files = [{ kind: "user" as const, path: `${dir}/none.toml`, found: false }];
 * assert.deepEqual(await hooksNotesOf({ files }, [dir]), [
 *   "web 1.0.0 has hooks (h) asking for env: X; approve them with `provisioning ext approve web`",
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param config The configuration (its user config holds the approvals).
 * @param dirs Extension folders.
 * @returns The notes; a folder whose manifest cannot be read gives none.
 */
export async function hooksNotesOf(
  config: Pick<ResolvedConfig, "files">,
  dirs: readonly string[],
): Promise<string[]> {
  const approved = (await readHooksConfig(config).catch(() => undefined))?.approved ?? {};
  const notes: string[] = [];
  for (const dir of dirs) {
    const manifest = await readManifest(dir).catch(() => undefined);
    const note = hooksNote(manifest, approved[manifest?.extension.name ?? ""]);
    if (note !== undefined) notes.push(note);
  }
  return notes;
}
