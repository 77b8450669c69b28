/**
 * The token realm each registry named, remembered in the cache for a day
 * (`<cache>/discovery/token-realms.json`), so a broad launch asks the registry
 * (`GET /v2/`) once a day instead of before every command: an exact cache hit then sends
 * nothing at all. A registry that did not answer is not remembered (it is asked again next
 * time); deleting the file forgets them all.
 *
 * @module
 */

import { join } from "node:path";
import { writeJsonReplacing } from "../fs/write_replacing.ts";
import type { TokenRealmAnswer } from "./token_realm_hosts.ts";

/** How long a registry's answer is trusted, in ms. */
export const REALM_MEMORY_MS = 24 * 60 * 60 * 1000;

/** Layout version of the file; another version is ignored. */
const FORMAT = 1;

interface RealmFile {
  format: number;
  /** Registry base URL → what it answered and when. */
  registries: Record<string, { hosts: string[]; checkedAt: string }>;
}

/**
 * The token realm hosts of a registry: remembered ones while fresh, else `probe()`'s answer
 * (remembered when the registry answered). A cache folder that cannot be read or written
 * only means asking again.
 *
 * @example
 * ```ts
 * import { rememberedRealmHosts } from "./remembered_realms.ts";
 * import assert from "node:assert/strict";
 *
 * const cache = await Deno.makeTempDir();
 * let asked = 0;
 * const probe = () => Promise.resolve({ hosts: ["auth.example.com:443"], answered: (++asked, true) });
 * const url = new URL("https://reg.example.com/");
 * assert.deepEqual(await rememberedRealmHosts(cache, url, probe), ["auth.example.com:443"]);
 * assert.deepEqual(await rememberedRealmHosts(cache, url, probe), ["auth.example.com:443"]);
 * assert.equal(asked, 1);
 * await Deno.remove(cache, { recursive: true });
 * ```
 *
 * @param cacheDir The cache root (`[cache] dir`).
 * @param registryUrl The registry's base URL.
 * @param probe Asks the registry (`tokenRealmHosts`).
 * @param now Clock in ms (tests).
 * @returns The realm hosts.
 */
export async function rememberedRealmHosts(
  cacheDir: string,
  registryUrl: URL,
  probe: () => Promise<TokenRealmAnswer>,
  now: () => number = Date.now,
): Promise<string[]> {
  const path = join(cacheDir, "discovery", "token-realms.json");
  const key = registryUrl.href;
  const file = await readRealmFile(path);
  const known = file.registries[key];
  const age = known === undefined ? undefined : now() - Date.parse(known.checkedAt);
  if (known !== undefined && age !== undefined && age >= 0 && age < REALM_MEMORY_MS) {
    return known.hosts;
  }
  const answer = await probe();
  if (answer.answered) {
    file.registries[key] = { hosts: answer.hosts, checkedAt: new Date(now()).toISOString() };
    await writeJsonReplacing(path, file).catch(() => {}); // a read-only cache asks again
  }
  return answer.hosts;
}

async function readRealmFile(path: string): Promise<RealmFile> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(path)) as Partial<RealmFile>;
    if (parsed.format === FORMAT && typeof parsed.registries === "object" && parsed.registries) {
      const registries: RealmFile["registries"] = {};
      for (const [url, entry] of Object.entries(parsed.registries)) {
        if (
          Array.isArray(entry?.hosts) && entry.hosts.every((h) => typeof h === "string") &&
          typeof entry.checkedAt === "string"
        ) registries[url] = { hosts: entry.hosts, checkedAt: entry.checkedAt };
      }
      return { format: FORMAT, registries };
    }
  } catch {
    // Missing, unreadable or not JSON: nothing remembered.
  }
  return { format: FORMAT, registries: {} };
}
