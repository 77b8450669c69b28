/**
 * The token realm host each registry named in a challenge, remembered in the config folder
 * (`~/.provisioning/token-realms.json`), so the permission plan can grant it without asking
 * the registry before a command. A realm is learned the first time a command meets it: the
 * scoped worker reports it, the launcher remembers it and runs the command again with it
 * granted (`launch.ts`). Deleting the file forgets them all; a realm that moves is learned
 * again the same way.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { writeJsonReplacing } from "../fs/write_replacing.ts";
import { registryBaseUrl, splitRegistrySetting, type TransportSettings } from "../oci/transport.ts";
import { tokenRealmHosts } from "./token_realm_hosts.ts";

/** Layout version of the file; another version is ignored. */
const FORMAT = 2;

/** The file, below the home folder. */
export const REALMS_FILE = join(".provisioning", "token-realms.json");

/** Registry origin (`https://reg.example.com`) → the `host:port` of each realm it named. */
export type RememberedRealms = Record<string, string[]>;

/**
 * The remembered realms; none when the file is missing, unreadable or of another format.
 *
 * @example
 * ```ts
 * import { readRememberedRealms, rememberRealm } from "./remembered_realms.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * assert.deepEqual(await readRememberedRealms(home), {});
 * await rememberRealm(home, "https://reg.example.com", ["auth.example.com:443"]);
 * assert.deepEqual(await readRememberedRealms(home), {
 *   "https://reg.example.com": ["auth.example.com:443"],
 * });
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home The home folder.
 * @returns Registry origin → realm hosts.
 */
export async function readRememberedRealms(home: string): Promise<RememberedRealms> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(join(home, REALMS_FILE)));
    const realms: RememberedRealms = {};
    if (parsed?.format !== FORMAT || typeof parsed.registries !== "object") return realms;
    for (const [origin, hosts] of Object.entries(parsed.registries ?? {})) {
      if (Array.isArray(hosts) && hosts.every((host) => typeof host === "string")) {
        realms[origin] = hosts;
      }
    }
    return realms;
  } catch {
    return {}; // missing, unreadable or not JSON: nothing remembered
  }
}

/**
 * Remembers (adds to) the realm hosts of a registry; the file is replaced atomically.
 *
 * @example
 * ```ts
 * import { readRememberedRealms, rememberRealm } from "./remembered_realms.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * await rememberRealm(home, "http://r:5000", ["a:443"]);
 * await rememberRealm(home, "http://r:5000", ["b:443"]);
 * assert.deepEqual((await readRememberedRealms(home))["http://r:5000"], ["a:443", "b:443"]);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home The home folder.
 * @param origin The registry's origin.
 * @param hosts The realm hosts it named.
 */
export async function rememberRealm(
  home: string,
  origin: string,
  hosts: readonly string[],
): Promise<void> {
  const registries = await readRememberedRealms(home);
  registries[origin] = [...new Set([...(registries[origin] ?? []), ...hosts])].sort();
  await writeJsonReplacing(join(home, REALMS_FILE), { format: FORMAT, registries });
}

/**
 * The realm hosts of one registry: remembered ones, else (with `ask`) the registry is asked
 * (`GET /v2/`, anonymous, with its `ca_file`) and a registry that answered is remembered. For
 * the commands that must know a realm before they start (`ext login`, which reads stdin;
 * `ext permissions`).
 *
 * @example
 * ```ts
 * import { realmHostsOf, rememberRealm } from "./remembered_realms.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const oci = { registry: "r.example", insecure: false, ca_file: undefined };
 * await rememberRealm(home, "https://r.example", ["a:443"]);
 * assert.deepEqual(await realmHostsOf(home, oci, { ask: false }), ["a:443"]);
 * assert.equal(await realmHostsOf(home, { ...oci, registry: "o.example" }, { ask: false }), undefined);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home The home folder.
 * @param registry The registry's settings (`registry`, `insecure`, `ca_file`).
 * @param options `ask`: whether to ask the registry.
 * @returns The hosts, or undefined when unknown (not asked, no answer, or a registry the
 *   transport policy refuses — the command reports that itself).
 */
export async function realmHostsOf(
  home: string,
  registry: TransportSettings & { registry: string; ca_file?: string | undefined },
  options: { ask: boolean },
): Promise<string[] | undefined> {
  let origin: string;
  try {
    origin = registryBaseUrl(splitRegistrySetting(registry.registry).host.split("/")[0]!, registry)
      .origin;
  } catch {
    return undefined;
  }
  const known = (await readRememberedRealms(home))[origin];
  if (known !== undefined || !options.ask) return known;
  const pem = registry.ca_file ? await Deno.readTextFile(registry.ca_file).catch(() => "") : "";
  const answer = await tokenRealmHosts(new URL(`${origin}/`), { caCerts: pem ? [pem] : [] });
  if (!answer.answered) return undefined;
  await rememberRealm(home, origin, answer.hosts).catch(() => {}); // read-only: ask again
  return answer.hosts;
}
