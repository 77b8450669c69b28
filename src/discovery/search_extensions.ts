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
  const masks = words.map(charMask);
  if (words.length === 0) {
    throw new ProvisioningError("USAGE", "Search query is empty", {
      hint: "Give a word to look for, e.g. `provisioning ext search kube`",
    });
  }
  const scored: { hit: SearchHit; index: number }[] = [];
  const best: Match = { score: 0, field: "" };
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    if (options.type !== undefined && entry.type !== options.type) continue;
    const fields = fieldsOf(entry);
    let total = 0;
    let matched: string[] | undefined;
    for (let w = 0; w < words.length; w++) {
      if (!scoreWord(words[w]!, masks[w]!, fields, best)) {
        total = 0;
        break;
      }
      total += best.score;
      if (matched === undefined) matched = [best.field];
      else if (!matched.includes(best.field)) matched.push(best.field);
    }
    if (total > 0) {
      scored.push({
        hit: { ...entry, score: Math.round(total * 10) / 10, matched: matched ?? [] },
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
 * const { hits } = await searchExtensions("kubernets", { config, source: "examples" });
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

/** The best match of one word: score and field. */
interface Match {
  score: number;
  field: string;
}

/** An entry's searchable fields, lower-cased and split only when a word needs them. */
interface Fields {
  name: string;
  type: string;
  rawDescription: string;
  description: string | undefined;
  nameMask: number | undefined;
  parts: string[] | undefined;
}

function fieldsOf(entry: DiscoveredExtension): Fields {
  return {
    name: entry.name.toLowerCase(),
    type: entry.type,
    rawDescription: entry.description,
    description: undefined,
    nameMask: undefined,
    parts: undefined,
  };
}

function descriptionOf(f: Fields): string {
  return f.description ??= f.rawDescription.toLowerCase();
}

function nameMaskOf(f: Fields): number {
  return f.nameMask ??= charMask(f.name);
}

/** Name parts between `-`, `_` and `.`. */
function partsOf(f: Fields): string[] {
  if (f.parts !== undefined) return f.parts;
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= f.name.length; i++) {
    const c = f.name.charCodeAt(i);
    if (i === f.name.length || c === 45 || c === 95 || c === 46) {
      if (i > start) parts.push(f.name.slice(start, i));
      start = i + 1;
    }
  }
  return f.parts = parts;
}

/**
 * The set of characters of `text` as bits: `a`–`z` are bits 0–25, digits share bits 26–31.
 * A word needs at least one edit per distinct character the text lacks, so
 * `missing(word, text) > max` rules a fuzzy match out before any edit distance is computed.
 */
function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) mask |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) mask |= 1 << (26 + (c - 48) % 6);
  }
  return mask;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Scores one word against an entry into `best`; false when nothing matches. */
function scoreWord(word: string, wordMask: number, f: Fields, best: Match): boolean {
  best.score = 0;
  best.field = "";
  nameScore(word, wordMask, f, best);
  if (best.score >= 60) return true;
  const singular = word.length > 4 && word.endsWith("s") ? word.slice(0, -1) : word;
  if (f.type === word || f.type === singular) consider(best, 40, "type");
  else if (word.length >= 3 && f.type.startsWith(word)) consider(best, 30, "type");
  if (best.score < 25 && f.rawDescription !== "") {
    const at = wordIndex(descriptionOf(f), word);
    if (at === "word") consider(best, 25, "description");
    else if (at === "inside" && word.length >= 3) consider(best, 15, "description");
  }
  return best.score > 0;
}

function consider(best: Match, score: number, field: string): void {
  if (score > best.score) {
    best.score = score;
    best.field = field;
  }
}

function nameScore(word: string, wordMask: number, f: Fields, best: Match): void {
  const { name } = f;
  const ratio = word.length / Math.max(1, name.length);
  if (name === word) return consider(best, 100, "name");
  const at = name.indexOf(word);
  if (at === 0) return consider(best, 80 + 10 * ratio, "name");
  if (at > 0) {
    return consider(best, (startsAfterSeparator(name, word, at) ? 70 : 60) + 10 * ratio, "name");
  }
  const missing = bitCount(wordMask & ~nameMaskOf(f));
  const max = word.length >= 8 ? 2 : word.length >= 4 ? 1 : 0;
  if (max > 0 && missing <= max) {
    let d = boundedEditDistance(word, name, max);
    if (d <= max) return consider(best, 50 - 10 * d, "name~");
    const parts = partsOf(f);
    if (parts.length > 1) {
      for (const part of parts) d = Math.min(d, boundedEditDistance(word, part, max));
    }
    if (d <= max) return consider(best, 45 - 10 * d, "name~");
    if (name.length > word.length) {
      d = Math.min(
        boundedEditDistance(word, name.slice(0, word.length), max),
        boundedEditDistance(word, name.slice(0, word.length + 1), max),
      );
      if (d <= max) return consider(best, 40 - 10 * d, "name~");
    }
  }
  if (missing === 0 && word.length >= 3 && name[0] === word[0] && isSubsequence(word, name)) {
    consider(best, 20 + 10 * ratio, "name~");
  }
}

/** Whether `word` occurs in `name` right after a `-`, `_` or `.` (from index `at` on). */
function startsAfterSeparator(name: string, word: string, at: number): boolean {
  for (let i = at; i !== -1; i = name.indexOf(word, i + 1)) {
    const c = name.charCodeAt(i - 1);
    if (c === 45 || c === 95 || c === 46) return true;
  }
  return false;
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
    const c = at === 0 ? 0 : text.charCodeAt(at - 1);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return "word";
    found = "inside";
    at = text.indexOf(word, at + 1);
  }
  return found;
}
