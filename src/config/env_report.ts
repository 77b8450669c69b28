/**
 * What `provisioning env` shows: every effective setting with its origin, as a JSON-ready
 * object and as a text table. Secrets show only whether they are set.
 *
 * @module
 */

import { SETTING_KEYS } from "./schema.ts";
import type { ConfigOrigin, EnvEntry, EnvReport, OciMirror, ResolvedConfig } from "./types.ts";

/** Secret keys and the setting each is listed after. */
const SECRET_KEYS: readonly { key: string; after: string }[] = [
  { key: "gitea.token", after: "gitea.token_path" },
];

/**
 * The stable text form of an origin: `default`, `user (<file>)`, `workspace (<file>)`,
 * `env (<VARIABLE>)` or `flag (<--flag>)`.
 *
 * @example
 * ```ts
 * import { formatOrigin } from "./env_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatOrigin({ kind: "default" }), "default");
 * assert.equal(formatOrigin({ kind: "env", source: "PROVISIONING_CACHE_DIR" }), "env (PROVISIONING_CACHE_DIR)");
 * ```
 *
 * @param origin The origin (undefined reads as `default`).
 * @returns Its text form.
 */
export function formatOrigin(origin: ConfigOrigin | undefined): string {
  if (origin === undefined) return "default";
  return origin.source === undefined ? origin.kind : `${origin.kind} (${origin.source})`;
}

function settingValue(config: ResolvedConfig, key: string): EnvEntry["value"] {
  const dot = key.indexOf(".");
  const sections = config.settings as unknown as Record<string, Record<string, unknown>>;
  const value = sections[key.slice(0, dot)]?.[key.slice(dot + 1)];
  if (Array.isArray(value)) {
    return value.map((item) =>
      typeof item === "object" && item !== null && "registry" in item && "name" in item
        ? `${item.name} = ${item.registry}/${item.namespace ?? "(oci.namespace)"}` // [[oci.registries]]
        : typeof item === "object" && item !== null && "prefix" in item && "keys" in item
        ? `${item.prefix} = ${(item as { keys: string[] }).keys.join(" ")}` // [[signatures.trust]]
        : typeof item === "object" && item !== null && "prefix" in item && "locations" in item
        ? mirrorText(item as OciMirror) // [[oci.mirrors]]
        : String(item)
    );
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  return null;
}

/** `r.io → m1:5000, m2:5000 (digest only)`, or `r.io blocked`. */
function mirrorText(mirror: OciMirror): string {
  if (mirror.blocked) return `${mirror.prefix} blocked`;
  return `${mirror.prefix} → ${mirror.locations.join(", ")}${
    mirror.digest_only ? " (digest only)" : ""
  }`;
}

function secretValue(config: ResolvedConfig, key: string): string {
  const set = key === "gitea.token" && config.secrets.gitea_token !== undefined;
  return set ? "(set)" : "(not set)";
}

/**
 * Every effective setting as `{ key, value, origin }`, in the stable order of `SETTING_KEYS`
 * with `gitea.token` right after `gitea.token_path`. Unset values are `null`; the secret's
 * value is `"(set)"` or `"(not set)"`, never the token.
 *
 * @example
 * ```ts
 * import { envEntries } from "./env_report.ts";
 * import { loadConfig } from "./load_config.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: { PROVISIONING_GITEA_TOKEN: "t0k" } });
 * const entries = envEntries(config);
 * assert.deepEqual(entries[0], { key: "oci.registry", value: "localhost:5000", origin: "default" });
 * assert.deepEqual(entries.find((entry) => entry.key === "gitea.token"), {
 *   key: "gitea.token",
 *   value: "(set)",
 *   origin: "env (PROVISIONING_GITEA_TOKEN)",
 * });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param config The loaded configuration.
 * @returns The entries.
 */
export function envEntries(config: ResolvedConfig): EnvEntry[] {
  const entries: EnvEntry[] = [];
  for (const key of SETTING_KEYS) {
    entries.push({
      key,
      value: settingValue(config, key),
      origin: formatOrigin(config.origins[key]),
    });
    for (const secret of SECRET_KEYS.filter((secret) => secret.after === key)) {
      entries.push({
        key: secret.key,
        value: secretValue(config, secret.key),
        origin: formatOrigin(config.origins[secret.key]),
      });
    }
  }
  return entries;
}

/**
 * The JSON-ready object `provisioning env --format json|yaml` prints:
 *
 * ```json
 * {
 *   "workspace": "/p/workspace",
 *   "files": [
 *     { "kind": "user", "path": "/home/ada/.provisioning/config.toml", "found": false },
 *     { "kind": "workspace", "path": "/p/workspace/config/local-overrides.toml", "found": true }
 *   ],
 *   "settings": [
 *     { "key": "oci.registry", "value": "zot.lan:5000", "origin": "workspace (/p/workspace/config/local-overrides.toml)" },
 *     { "key": "oci.auth_token_path", "value": null, "origin": "default" },
 *     { "key": "gitea.token", "value": "(not set)", "origin": "default" }
 *   ]
 * }
 * ```
 *
 * `workspace` is `null` when there is none; `files` lists the user config and, when there is
 * a workspace, its overrides file; `settings` is {@linkcode envEntries}.
 *
 * @example
 * ```ts
 * import { envReport } from "./env_report.ts";
 * import { loadConfig } from "./load_config.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const report = envReport(await loadConfig({ cwd: home, home, env: {} }));
 * assert.equal(report.workspace, null);
 * assert.deepEqual(Object.keys(report), ["workspace", "files", "settings"]);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param config The loaded configuration.
 * @returns The report.
 */
export function envReport(config: ResolvedConfig): EnvReport {
  return {
    workspace: config.workspace ?? null,
    files: config.files.map((file) => ({ ...file })),
    settings: envEntries(config),
  };
}

/**
 * The text form of one value in the table: arrays comma separated, `null` and `[]` as
 * `(none)`, the empty string as `""`.
 *
 * @example
 * ```ts
 * import { formatEnvValue } from "./env_report.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatEnvValue(["local", "oci"]), "local, oci");
 * assert.equal(formatEnvValue(null), "(none)");
 * ```
 *
 * @param value An entry's value.
 * @returns Its text.
 */
export function formatEnvValue(value: EnvEntry["value"]): string {
  if (value === null) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.join(", ");
  if (value === "") return '""';
  return String(value);
}

/**
 * Renders a report as plain text (no colour): a header with the workspace and config files,
 * a blank line, then a `KEY  VALUE  ORIGIN` table. Lines carry no trailing spaces.
 *
 * @example
 * ```ts
 * import { formatEnvTable } from "./env_report.ts";
 * import assert from "node:assert/strict";
 *
 * const text = formatEnvTable({
 *   workspace: null,
 *   files: [{ kind: "user", path: "/h/.provisioning/config.toml", found: false }],
 *   settings: [{ key: "oci.registry", value: "localhost:5000", origin: "default" }],
 * });
 * assert.equal(
 *   text,
 *   [
 *     "Workspace:    (none)",
 *     "User config:  /h/.provisioning/config.toml (not found)",
 *     "",
 *     "KEY           VALUE           ORIGIN",
 *     "oci.registry  localhost:5000  default",
 *     "",
 *   ].join("\n"),
 * );
 * ```
 *
 * @param report The report from {@linkcode envReport}.
 * @returns The text, ending with a newline.
 */
export function formatEnvTable(report: EnvReport): string {
  const header: [string, string][] = [["Workspace:", report.workspace ?? "(none)"]];
  for (const file of report.files) {
    const label = file.kind === "user" ? "User config:" : "Workspace config:";
    header.push([label, file.found ? file.path : `${file.path} (not found)`]);
  }
  const labelWidth = Math.max(...header.map(([label]) => label.length)) + 2;
  const rows = [
    ["KEY", "VALUE", "ORIGIN"],
    ...report.settings.map((entry) => [entry.key, formatEnvValue(entry.value), entry.origin]),
  ];
  const widths = [0, 1].map((column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)) + 2
  );
  const lines = [
    ...header.map(([label, value]) => `${label.padEnd(labelWidth)}${value}`),
    "",
    ...rows.map((row) =>
      row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("").trimEnd()
    ),
  ];
  return `${lines.join("\n")}\n`;
}
