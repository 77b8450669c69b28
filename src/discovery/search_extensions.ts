/**
 * Search: rank discovered extensions against a query by name (exact, prefix, substring,
 * then fuzzy: typos and abbreviations), type and description.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { boundedEditDistance } from "./_edit_distance.ts";
import { discoverAllExtensions, type DiscoverAllOptions } from "./discover_all.ts";
import type { DiscoveredExtension, DiscoveryResult, SearchHit } from "./types.ts";

/** Options of {@linkcode rankExtensions}. */
export interface RankOptions {
  /** Keep only this type. */
  type?: ExtensionType;
  /** At most this many hits. */
  limit?: number;
}

/**
 * Ranks extensions against a query. Every word of the query must match the name (exactly,
 * as a prefix or substring, or fuzzily), the type or the description; a hit's score is the
 * sum of each word's best match. Ties keep the input order after sorting by name.
 *
 * Scores per word: exact name 100 · name prefix 80–90 · prefix of a name part (after `-`,
 * `_`, `.`) 70–80 · name substring 60–70 · name within 1–2 typos 30–50 · letters of the
 * name in order (`kbnts`) 20–30 · type 30–40 · description word 25, substring 15.
 *
 * @example
 * ```ts
 * import { rankExtensions } from "./search_extensions.ts";
 * import assert from "node:assert/strict";
 *
 * const entry = (name: string, description = "") => ({
 *   name, type: "taskserv" as const, version: "1.0.0", versions: ["1.0.0"],
 *   source: "local" as const, description, author: null, license: null, homepage: null,
 *   path: null, reference: null, digest: null, size: null,
 *   metadataFrom: "manifest" as const, cached: [],
 * });
 * const entries = [entry("kube-proxy"), entry("kubernetes"), entry("cilium", "for kubernetes")];
 * assert.deepEqual(rankExtensions(entries, "kube").map((h) => h.name),
 *   ["kube-proxy", "kubernetes", "cilium"]);
 * assert.deepEqual(rankExtensions(entries, "kubernets").map((h) => h.name), ["kubernetes"]);
 * assert.equal(rankExtensions(entries, "kubernetes")[1]?.name, "cilium");
 * ```
 *
 * @param entries Discovered extensions.
 * @param query Words to look for (case-insensitive).
 * @param options Type filter and limit.
 * @returns Hits, best first.
 * @throws {ProvisioningError} `USAGE` for an empty query.
 */
export function rankExtensions(
  entries: readonly DiscoveredExtension[],
  query: string,
  options: RankOptions = {},
): SearchHit[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (words.length === 0) {
    throw new ProvisioningError("USAGE", "Search query is empty", {
      hint: "Give a word to look for, e.g. `provisioning ext search kube`",
    });
  }
  const scored: { hit: SearchHit; index: number }[] = [];
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (options.type !== undefined && entry.type !== options.type) continue;
    const fields = fieldsOf(entry);
    let total = 0;
    const matched = new Set<string>();
    for (const word of words) {
      const best = scoreWord(word, fields);
      if (best === undefined) {
        total = 0;
        break;
      }
      total += best.score;
      matched.add(best.field);
    }
    if (total > 0) {
      scored.push({
        hit: { ...entry, score: Math.round(total * 10) / 10, matched: [...matched] },
        index,
      });
    }
  }
  scored.sort((a, b) =>
    b.hit.score - a.hit.score ||
    (a.hit.name < b.hit.name ? -1 : a.hit.name > b.hit.name ? 1 : 0) ||
    a.index - b.index
  );
  const hits = scored.map((s) => s.hit);
  return options.limit === undefined ? hits : hits.slice(0, Math.max(0, options.limit));
}

/** The result of {@linkcode searchExtensions}. */
export interface SearchResult {
  /** Hits, best first. */
  hits: SearchHit[];
  /** The discovery they were ranked from (per-source reports, warnings). */
  discovery: DiscoveryResult;
}

/**
 * Discovers (through the discovery cache) and ranks extensions against a query.
 *
 * @example
 * ```ts
 * import { searchExtensions } from "./search_extensions.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const config = await loadConfig({ cwd: home, home, env: {} });
 * const { hits } = await searchExtensions("kubernets", { config, source: "local" });
 * assert.equal(hits[0]?.name, "kubernetes");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param query Words to look for.
 * @param options Discovery options (source, type, refresh…) and a limit.
 * @returns The hits and the discovery.
 * @throws {ProvisioningError} `USAGE` for an empty query; as {@linkcode discoverAllExtensions}.
 */
export async function searchExtensions(
  query: string,
  options: DiscoverAllOptions & { limit?: number },
): Promise<SearchResult> {
  rankExtensions([], query);
  const discovery = await discoverAllExtensions(options);
  const rank: RankOptions = options.limit === undefined ? {} : { limit: options.limit };
  return { hits: rankExtensions(discovery.extensions, query, rank), discovery };
}

interface Fields {
  name: string;
  parts: string[];
  type: string;
  description: string;
}

function fieldsOf(entry: DiscoveredExtension): Fields {
  const name = entry.name.toLowerCase();
  return {
    name,
    parts: name.split(/[-_.]+/).filter((p) => p !== ""),
    type: entry.type,
    description: entry.description.toLowerCase(),
  };
}

function scoreWord(word: string, f: Fields): { score: number; field: string } | undefined {
  const name = nameScore(word, f);
  if (name !== undefined && name.score >= 60) return name;
  let best = name;
  const consider = (score: number, field: string) => {
    if (best === undefined || score > best.score) best = { score, field };
  };
  const singular = word.length > 4 && word.endsWith("s") ? word.slice(0, -1) : word;
  if (f.type === word || f.type === singular) consider(40, "type");
  else if (word.length >= 3 && f.type.startsWith(word)) consider(30, "type");
  const at = wordIndex(f.description, word);
  if (at === "word") consider(25, "description");
  else if (at === "inside" && word.length >= 3) consider(15, "description");
  return best;
}

function nameScore(word: string, f: Fields): { score: number; field: string } | undefined {
  const { name } = f;
  const ratio = word.length / Math.max(1, name.length);
  if (name === word) return { score: 100, field: "name" };
  if (name.startsWith(word)) return { score: 80 + 10 * ratio, field: "name" };
  if (f.parts.length > 1 && f.parts.some((p) => p.startsWith(word))) {
    return { score: 70 + 10 * ratio, field: "name" };
  }
  if (name.includes(word)) return { score: 60 + 10 * ratio, field: "name" };
  const max = word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
  if (max > 0) {
    let d = boundedEditDistance(word, name, max);
    if (d <= max) return { score: 50 - 10 * d, field: "name~" };
    for (const part of f.parts.length > 1 ? f.parts : []) {
      d = Math.min(d, boundedEditDistance(word, part, max));
    }
    if (d <= max) return { score: 45 - 10 * d, field: "name~" };
    if (name.length > word.length) {
      d = Math.min(
        boundedEditDistance(word, name.slice(0, word.length), max),
        boundedEditDistance(word, name.slice(0, word.length + 1), max),
      );
      if (d <= max) return { score: 40 - 10 * d, field: "name~" };
    }
  }
  if (word.length >= 3 && name[0] === word[0] && isSubsequence(word, name)) {
    return { score: 20 + 10 * ratio, field: "name~" };
  }
  return undefined;
}

function isSubsequence(word: string, text: string): boolean {
  let i = 0;
  for (let j = 0; j < text.length && i < word.length; j++) {
    if (text.charCodeAt(j) === word.charCodeAt(i)) i++;
  }
  return i === word.length;
}

/** Whether `word` starts a word of `text` ("word"), occurs inside one ("inside"), or not. */
function wordIndex(text: string, word: string): "word" | "inside" | undefined {
  let found: "inside" | undefined;
  let at = text.indexOf(word);
  while (at !== -1) {
    const before = at === 0 ? "" : text[at - 1]!;
    if (before === "" || !/[a-z0-9]/.test(before)) return "word";
    found = "inside";
    at = text.indexOf(word, at + 1);
  }
  return found;
}
