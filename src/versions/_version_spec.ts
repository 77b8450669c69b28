// Private: the grammar of version specs on top of `semver`, shared by parseVersionSpec and
// tryParseVersionSpec (which differ only in how they report a bad spec).
// @ts-types="npm:@types/semver@^7.7.1"
import semver from "semver";
import { COMPACT_RANGE, plainVersionSpec } from "./_plain_spec.ts";
import type { VersionSpec } from "./types.ts";

/** The forms shown to the user when a spec cannot be parsed. */
export const ACCEPTED_VERSION_SPEC_FORMS =
  "1.2.3, ^1.2.0, ~1.2.0, 1.2.0-1.5.0, >=1.2.0 <2.0.0, 1.x, *, latest";

/** The outcome of analysing a spec: the spec, or why it is refused. */
export type SpecAnalysis = { ok: true; spec: VersionSpec } | { ok: false; reason: string };

/** An operator followed by white space (`>= 1.2.0`), so it can be glued to its operand. */
const OPERATOR_THEN_SPACE = /(<=|>=|~>|<|>|=|~|\^)\s+/g;

/** A leading operator of one comparator word. */
const LEADING_OPERATOR = /^(?:<=|>=|~>|<|>|=|~|\^)/;

/**
 * Analyses a version spec without throwing.
 *
 * @param input The spec as the user wrote it.
 * @returns The parsed spec, or a one-line reason.
 */
export function analyseVersionSpec(input: string): SpecAnalysis {
  if (typeof input !== "string") return refuse("expected a string");
  const raw = input.trim();
  if (raw === "") return refuse("the spec is empty");
  const plain = plainVersionSpec(raw);
  if (plain !== undefined) return { ok: true, spec: plain };

  const alternatives: string[] = [];
  const wordCount = raw.split(/\s+/).length;
  for (const alternative of raw.split("||")) {
    const words = alternative.replace(OPERATOR_THEN_SPACE, "$1").trim().split(/\s+/)
      .filter((word) => word !== "");
    if (words.length === 0) return refuse('an alternative between "||" is empty');
    const rewritten = rewriteAlternative(words, wordCount);
    if (typeof rewritten !== "string") return rewritten;
    alternatives.push(rewritten);
  }

  const range = semver.validRange(alternatives.join(" || "));
  if (range === null) return refuse("expected a version or a range");
  return { ok: true, spec: { raw, kind: "range", range } };
}

/** Checks the words of one `||` alternative and rewrites compact ranges into comparators. */
function rewriteAlternative(
  words: readonly string[],
  wordCount: number,
): string | { ok: false; reason: string } {
  const hyphen = words.length === 3 && words[1] === "-";
  if (hyphen) {
    const bounds = checkBounds(words[0] ?? "", words[2] ?? "");
    if (bounds !== undefined) return refuse(bounds);
  }
  const out: string[] = [];
  for (const [index, word] of words.entries()) {
    if (word === "-") {
      if (hyphen && index === 1) {
        out.push(word);
        continue;
      }
      return refuse('a hyphen range must be written "A - B", alone between "||"');
    }
    const compact = COMPACT_RANGE.exec(word);
    if (compact !== null && semver.valid(compact[2] ?? "") !== null) {
      const [, lower = "", upper = ""] = compact;
      const bounds = checkBounds(lower, upper);
      if (bounds !== undefined) return refuse(bounds);
      out.push(`>=${lower} <=${upper}`);
      continue;
    }
    const partial = partialVersionReason(word);
    if (partial !== undefined) return refuse(partial);
    if (wordCount > 1 && semver.validRange(word) === null) {
      return refuse(`${JSON.stringify(word)} is not a version or a comparator`);
    }
    out.push(word);
  }
  return out.join(" ");
}

/** Refuses a hyphen range whose lower bound is above its upper bound. */
function checkBounds(lower: string, upper: string): string | undefined {
  if (semver.valid(lower) === null || semver.valid(upper) === null) return undefined;
  if (semver.gt(lower, upper)) {
    return `the lower bound ${JSON.stringify(lower)} is above the upper bound ${
      JSON.stringify(upper)
    }`;
  }
  return undefined;
}

/**
 * Bare partial versions (`1.2`, `^1`, `>=1.2`) mean different things in npm, Cargo and
 * Terraform, so they are refused; an x-range (`1.2.x`) or a full version says it plainly.
 */
function partialVersionReason(word: string): string | undefined {
  const operator = LEADING_OPERATOR.exec(word)?.[0] ?? "";
  const body = word.slice(operator.length).replace(/^v/, "");
  const core = body.split(/[-+]/, 1)[0] ?? "";
  const parts = core.split(".");
  // Only all-numeric partials are refused here; `1.x` and garbage are left to `semver`.
  if (parts.length >= 3 || !parts.every((part) => /^\d+$/.test(part))) return undefined;
  const full = [...parts, "0", "0"].slice(0, 3).join(".");
  const suggestion = operator === ""
    ? `${JSON.stringify(`${core}.x`)} or ${JSON.stringify(full)}`
    : JSON.stringify(`${operator}${full}`);
  return `${JSON.stringify(word)} is a partial version; write ${suggestion}`;
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
