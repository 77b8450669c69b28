/**
 * `provisioning env`: the effective settings and where each comes from, and the sources
 * `auto` tries, in order, with what each reads.
 *
 * @module
 */

import { registryPlaces } from "../registries/registry_places.ts";
import { ENV_SETTING_BINDINGS, envReport } from "../config/mod.ts";
import type { ConcreteSourceType, ResolvedConfig } from "../config/types.ts";
import { redactCredentials } from "../git/redact_credentials.ts";
import { bundledExamplesDir } from "../sources/local.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { formatData, formatTable, type OutputFormat } from "./output.ts";

/** One source of `[extensions] auto_order`, as `env` shows it. */
export interface EnvSource {
  source: ConcreteSourceType;
  /** What it reads (folders, registry/namespace, URL), or why it is not set up. */
  location: string;
}

/**
 * Prints the settings as a table (KEY, VALUE, ORIGIN, ENV) or as JSON/YAML. ENV names the
 * variable that sets the key, so `provisioning env | grep OCI` finds the OCI settings the
 * environment controls, the way `helm env | grep HELM_` does (`grep -i oci` shows every
 * `[oci]` key).
 */
export async function runEnv(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  format: OutputFormat,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const report = { ...envReport(config), sources: envSources(config) };
  if (format !== "table") return ctx.out(await formatData(report, format));
  ctx.out(`Workspace: ${report.workspace ?? "(none)"}\n`);
  ctx.out(formatTable(report.settings, [
    { header: "KEY", value: (e) => e.key },
    { header: "VALUE", value: (e) => Array.isArray(e.value) ? listText(e.value) : e.value },
    { header: "ORIGIN", value: (e) => e.origin },
    { header: "ENV", value: (e) => envVariablesOf(e.key) },
  ]));
  ctx.out("\nSources (auto order):\n");
  ctx.out(formatTable(report.sources, [
    { header: "SOURCE", value: (s) => s.source },
    { header: "READS", value: (s) => s.location },
  ]));
}

/**
 * The sources of `[extensions] auto_order` with what each reads, computed from the
 * configuration alone (nothing is opened or contacted).
 *
 * @example
 * ```ts
 * import { envSources } from "./env.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * const sources = envSources(config);
 * assert.equal(sources[0]?.location, "(no folders configured)");
 * assert.match(sources.at(-1)!.location, /examples.extensions \(bundled demos, tried last\)$/);
 * ```
 *
 * @param config The effective configuration.
 * @returns One row per source, in the order `auto` tries them.
 */
export function envSources(config: ResolvedConfig): EnvSource[] {
  const { settings } = config;
  const list = (items: readonly string[], none: string) =>
    items.map(redactCredentials).join(", ") || none;
  return settings.extensions.auto_order.map((source): EnvSource => {
    switch (source) {
      case "local": {
        const folders = [...settings.extensions.paths];
        if (config.workspace !== undefined) folders.push(`${config.workspace}/extensions`);
        return { source, location: list(folders, "(no folders configured)") };
      }
      case "oci-layout":
        return { source, location: list(settings.extensions.layout_paths, "(no layouts)") };
      case "oci":
        // Several `[[oci.registries]]`: each, in the order reads ask them.
        return {
          source,
          location: registryPlaces(config).map((place) =>
            `${
              place.name === undefined ? "" : `${place.name}: `
            }${place.oci.registry}/${place.oci.namespace}`
          ).join(", "),
        };
      case "gitea":
        return {
          source,
          location: settings.gitea.url === undefined
            ? "(not configured)"
            : `${redactCredentials(settings.gitea.url)} ${
              settings.gitea.organization ?? "(no organization)"
            }`,
        };
      case "git":
        return { source, location: list(settings.git.remotes, "(no remotes)") };
      case "examples":
        return { source, location: `${bundledExamplesDir()} (bundled demos, tried last)` };
    }
  });
}

/**
 * The environment variables that set a key, as the ENV column shows them (`-` for none).
 *
 * @example
 * ```ts
 * import { envVariablesOf } from "./env.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(envVariablesOf("oci.registry"), "PROVISIONING_OCI_REGISTRY");
 * assert.equal(envVariablesOf("oci.timeout"), "-");
 * ```
 *
 * @param key A dotted setting key.
 * @returns The variable names, comma separated, or `-`.
 */
export function envVariablesOf(key: string): string {
  const names = ENV_SETTING_BINDINGS.filter((b) => b.key === key).map((b) => b.name);
  return names.length === 0 ? "-" : [...new Set(names)].join(", ");
}

/** A list setting in the table: folders as a search path (`a:b`), other items with commas. */
function listText(values: readonly string[]): string {
  if (values.length === 0) return "-";
  return values.every((value) => value.startsWith("/")) ? values.join(":") : values.join(", ");
}
