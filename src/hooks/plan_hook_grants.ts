import { resolve } from "node:path";
import { EXTENSION_TYPES, type ExtensionType } from "../manifest/types.ts";
import type { PermissionPlan, PlanEnv } from "../permissions/plan_permissions.ts";
import type { PermissionSet } from "../permissions/types.ts";
import type { SourceType } from "../config/types.ts";
import { readHooksConfig } from "./hooks_config.ts";
import { PREFETCH_FLAG } from "./types.ts";

/**
 * The launch plan of `ext run NAME HOOK`, widened by the `--input` file and by what the
 * hook's sandbox may need: the
 * hosts and variables extension NAME declares (`permissions.net`, `permissions.env`) and
 * those approved for it in `[hooks.approved]`. A worker can only narrow its parent, so the
 * command's own worker must hold them for the hook's worker to get them; the command still
 * checks approval before the hook runs, and the hook's worker holds only the declared ones.
 *
 * The manifest comes from an offline load in the launcher (the cache, or a local folder);
 * when the extension is not there yet, `prefetch` runs the command once with
 * `--prefetch-only` in the unwidened plan (it loads the extension into the cache and
 * stops), and the offline load is tried again.
 *
 * @example
 * ```ts ignore
 * const set = await planHookGrants(plan, argv, env, (args) => runScoped(plan.set, url, args));
 * ```
 *
 * @param plan The plan of `ext run` (from `planPermissions`).
 * @param argv The command line.
 * @param env Home and the environment.
 * @param prefetch Runs the command with extra arguments in the plan's worker; its exit code
 *   (absent: an extension not on disk yet adds only what was approved for it).
 * @returns The widened set, or the exit code of a prefetch that failed.
 */
export async function planHookGrants(
  plan: PermissionPlan,
  argv: readonly string[],
  env: PlanEnv,
  prefetch?: (args: string[]) => Promise<number>,
): Promise<PermissionSet | number> {
  const words = argv.slice(argv.indexOf("run") + 1);
  const positional = positionals(words);
  const name = positional[0];
  if (name === undefined) return plan.set;
  const flag = (names: string[]) => {
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      for (const n of names) {
        if (word === n) return words[i + 1];
        if (word.startsWith(n + "=")) return word.slice(n.length + 1);
      }
    }
    return undefined;
  };
  const type = flag(["--type", "-t"]);
  const source = flag(["--source", "-s"]);
  const version = flag(["--version"]) ?? "latest";
  const offline = words.includes("--offline");
  const { loadExtension } = await import("../loader/load.ts");
  const loadOffline = () =>
    loadExtension(
      EXTENSION_TYPES.includes(type as ExtensionType) ? type as ExtensionType : undefined,
      name,
      version,
      {
        config: plan.config,
        home: env.home,
        offline: true,
        ...(source === undefined ? {} : { sourceType: source as SourceType }),
      },
    );
  let loaded = await loadOffline();
  if (!loaded.success && !offline && prefetch !== undefined) {
    const code = await prefetch([...argv, PREFETCH_FLAG]);
    if (code !== 0) return code;
    loaded = await loadOffline();
  }
  const declared = loaded.success ? loaded.manifest?.permissions : undefined;
  let approved: { net: string[]; env: string[] } | undefined;
  try {
    const hooks = await readHooksConfig(plan.config);
    approved = hooks.approved[loaded.manifest?.extension.name ?? name];
  } catch {
    approved = undefined; // the command reports a bad [hooks] section itself
  }
  const unique = (values: string[]) => [...new Set(values)].sort();
  const input = flag(["--input"]);
  return {
    ...plan.set,
    read: input === undefined || input === "-"
      ? plan.set.read
      : unique([...plan.set.read, resolve(env.cwd, input)]),
    net: unique([...plan.set.net, ...(declared?.net ?? []), ...(approved?.net ?? [])]),
    env: unique([...plan.set.env, ...(declared?.env ?? []), ...(approved?.env ?? [])]),
  };
}

/** The positional words of `NAME HOOK [flags]` (values of flags skipped). */
function positionals(words: readonly string[]): string[] {
  const valued = ["--input", "--version", "--source", "-s", "--type", "-t", "--format", "-o"];
  const found: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") {
      found.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith("-") && word !== "-") {
      if (valued.includes(word)) i++;
      continue;
    }
    found.push(word);
  }
  return found;
}
