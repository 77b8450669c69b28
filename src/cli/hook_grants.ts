import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import type { SourceType } from "../config/types.ts";
import { type GrantsInput, pathsOf } from "./command_grants.ts";
import type { CommandGrants } from "../permissions/plan.ts";
import { readHooksConfig } from "../hooks/hooks_config.ts";

/**
 * What `ext run NAME HOOK` adds to its permission plan: the `--input` file, and what the
 * hook's sandbox may need — the hosts and variables extension NAME declares
 * (`permissions.net`, `permissions.env`) and those approved for it in `[hooks.approved]`. A
 * worker can only narrow its parent, so the command must hold them for the hook's worker to
 * get them; the command still checks approval before the hook runs, and the hook's worker
 * holds only the declared ones.
 *
 * The manifest comes from loading NAME as the command will (into the cache when it is not
 * there yet); an extension that does not load adds nothing, and the command reports why.
 *
 * @example
 * ```ts ignore
 * declareGrants(run, (input) => hookGrants(input));
 * ```
 *
 * @param input The parsed `ext run` command line.
 * @returns The grants.
 */
export async function hookGrants(input: GrantsInput): Promise<CommandGrants> {
  const [name, _hook] = input.args;
  const { options, config } = input;
  if (typeof name !== "string") return {};
  let hooks;
  try {
    hooks = await readHooksConfig(config);
  } catch {
    return {}; // the command reports a bad [hooks] section itself
  }
  if (!hooks.enabled) return {};
  const type = options.type as string | undefined;
  const { loadExtension } = await import("../loader/load.ts");
  const loaded = await loadExtension(
    EXTENSION_TYPES.includes(type as ExtensionType) ? type as ExtensionType : undefined,
    name,
    typeof options.version === "string" ? options.version : "latest",
    {
      config,
      home: input.home,
      offline: options.offline === true,
      ...(typeof options.source === "string" ? { sourceType: options.source as SourceType } : {}),
    },
  ).catch(() => undefined);
  const declared = loaded?.success ? loaded.manifest?.permissions : undefined;
  const approved = hooks.approved[loaded?.manifest?.extension.name ?? name];
  return {
    read: pathsOf(input.cwd, options.input),
    net: [...(declared?.net ?? []), ...(approved?.net ?? [])],
    env: [...(declared?.env ?? []), ...(approved?.env ?? [])],
  };
}
