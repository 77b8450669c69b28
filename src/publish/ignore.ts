/**
 * Which files of an extension never ship: version-control folders always, plus the patterns
 * of an optional `.extensionignore` at the extension root.
 *
 * `.extensionignore` understands this subset of `.gitignore`:
 * - blank lines and lines starting with `#` are skipped (`\#` is a literal `#`);
 *   trailing spaces are dropped unless escaped with `\`;
 * - `!` negates: a path excluded by an earlier line is included again (`\!` is a literal
 *   `!`); as in git, nothing below an excluded directory can be included again;
 * - the last matching line wins;
 * - a trailing `/` matches directories only;
 * - a pattern with a `/` at the start or in the middle is anchored at the extension root;
 *   otherwise it matches a name at any depth;
 * - `*` matches anything but `/`, `?` one character but `/`; `**` as a whole path segment
 *   (leading, trailing or between two slashes) matches any number of folders, elsewhere it
 *   acts like `*`;
 * - `\` escapes the next character. Character classes (`[abc]`) are not supported: `[` and
 *   `]` match themselves.
 *
 * Never shipped, whatever the file says: `.git`, `.hg`, `.svn` (at any depth, file or
 * folder) and the root `.extensionignore` itself.
 *
 * Left out by default, because they look like secrets ({@linkcode SECRET_PATTERNS}: `.env`,
 * `*.pem`, `*.key`, `.npmrc`…): a `!` line ships them (`!certs/ca.pem`), since the file's
 * lines come after these.
 *
 * @module
 */

/** Name of the optional ignore file at the extension root. */
export const IGNORE_FILE_NAME = ".extensionignore";

/** Names that never ship, at any depth, whether file or directory. */
export const ALWAYS_IGNORED_NAMES: readonly string[] = [".git", ".hg", ".svn"];

/** One parsed line of an ignore file. */
export interface IgnoreRule {
  /** The line as written (after trimming trailing spaces). */
  source: string;
  /** 1-based line number in the file. */
  line: number;
  /** `!` line: includes again what earlier lines excluded. */
  negate: boolean;
  /** Trailing `/`: matches directories only. */
  directoryOnly: boolean;
  /** Matches the whole relative path (`a/b`), never a prefix. */
  regex: RegExp;
}

/**
 * Names that look like secrets, left out unless `.extensionignore` includes them again with a
 * `!` line: environment files, private keys and certificates, package-manager and
 * netrc credentials, SSH keys.
 */
export const SECRET_PATTERNS: readonly string[] = [
  ".env",
  ".env.*",
  "*.pem",
  "*.key",
  "*.p12",
  "*.pfx",
  "*.jks",
  "*.keystore",
  ".npmrc",
  ".pypirc",
  ".netrc",
  ".git-credentials",
  ".htpasswd",
  "id_rsa",
  "id_dsa",
  "id_ecdsa",
  "id_ed25519",
];

/** {@linkcode SECRET_PATTERNS} as rules, placed before the ignore file's own. */
export const SECRET_RULES: readonly IgnoreRule[] = parseIgnoreRules(SECRET_PATTERNS.join("\n"));

/** Decides whether a path (relative, POSIX, no trailing `/`) is left out of the package. */
export type IgnoreMatcher = (path: string, isDirectory: boolean) => boolean;

/**
 * Parses the text of a `.extensionignore` file into rules, in file order.
 *
 * @example
 * ```ts
 * import { parseIgnoreRules } from "./ignore.ts";
 * import assert from "node:assert/strict";
 *
 * const rules = parseIgnoreRules("# build output\n/dist/\n*.log\n!keep.log\n");
 * assert.deepEqual(rules.map((r) => [r.source, r.negate, r.directoryOnly]), [
 *   ["/dist/", false, true],
 *   ["*.log", false, false],
 *   ["!keep.log", true, false],
 * ]);
 * ```
 *
 * @param text The file's content.
 * @returns The rules, skipping blank and comment lines.
 */
export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const rule = parseLine(raw, index + 1);
    if (rule !== undefined) rules.push(rule);
  });
  return rules;
}

/**
 * Builds the matcher of an extension: the always-ignored names, the root ignore file itself,
 * and the given rules (last match wins; an excluded directory excludes everything below it).
 *
 * @example
 * ```ts
 * import { createIgnoreMatcher, parseIgnoreRules } from "./ignore.ts";
 * import assert from "node:assert/strict";
 *
 * const ignored = createIgnoreMatcher(parseIgnoreRules("build/\n"));
 * assert.ok(ignored(".git", true));
 * assert.ok(ignored(".extensionignore", false));
 * assert.ok(ignored("build/out/app.js", false));
 * assert.ok(!ignored("kcl/main.k", false));
 * ```
 *
 * @param rules Rules from {@linkcode parseIgnoreRules} (none when there is no ignore file).
 * @returns A function telling whether a relative path is left out.
 */
export function createIgnoreMatcher(rules: readonly IgnoreRule[] = []): IgnoreMatcher {
  return (path, isDirectory) => {
    if (path === IGNORE_FILE_NAME) return true;
    const parts = path.split("/");
    for (let depth = 1; depth <= parts.length; depth++) {
      const name = parts[depth - 1] ?? "";
      if (ALWAYS_IGNORED_NAMES.includes(name)) return true;
      const isLast = depth === parts.length;
      const prefix = isLast ? path : parts.slice(0, depth).join("/");
      if (matchRules(rules, prefix, isLast ? isDirectory : true)) return true;
    }
    return false;
  };
}

/** Applies the rules to one path: the last matching rule decides. */
function matchRules(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.regex.test(path)) ignored = !rule.negate;
  }
  return ignored;
}

/** Parses one line, or returns undefined for blank and comment lines. */
function parseLine(raw: string, line: number): IgnoreRule | undefined {
  const source = trimTrailingSpaces(raw);
  if (source === "" || source.startsWith("#")) return undefined;
  let pattern = source;
  const negate = pattern.startsWith("!");
  if (negate) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith("/") && !pattern.endsWith("\\/");
  if (directoryOnly) pattern = pattern.replace(/\/+$/, "");
  const anchored = pattern.includes("/");
  pattern = pattern.replace(/^\/+/, "");
  if (pattern === "") return undefined;
  const body = globToRegexSource(pattern);
  const regex = new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`, "s");
  return { source, line, negate, directoryOnly, regex };
}

/** Drops trailing spaces that are not escaped with a backslash. */
function trimTrailingSpaces(raw: string): string {
  let end = raw.length;
  while (end > 0 && raw[end - 1] === " " && raw[end - 2] !== "\\") end--;
  return raw.slice(0, end);
}

/** Turns a glob (no leading `/`, no trailing `/`) into a regular expression body. */
function globToRegexSource(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i] ?? "";
    if (char === "\\" && i + 1 < pattern.length) {
      out += escapeRegex(pattern[i + 1] ?? "");
      i += 2;
    } else if (char === "*" && pattern[i + 1] === "*") {
      const atStart = i === 0;
      const afterSlash = i > 0 && pattern[i - 1] === "/";
      const next = pattern[i + 2];
      if ((atStart || afterSlash) && next === "/") {
        out += "(?:.*/)?"; // `**/` at the start or `/**/` in the middle: zero or more folders
        i += 3;
      } else if (afterSlash && next === undefined) {
        out += ".*"; // trailing `/**`: everything inside
        i += 2;
      } else {
        out += "[^/]*";
        i += 2;
        while (pattern[i] === "*") i++;
      }
    } else if (char === "*") {
      out += "[^/]*";
      i++;
    } else if (char === "?") {
      out += "[^/]";
      i++;
    } else {
      out += escapeRegex(char);
      i++;
    }
  }
  return out;
}

/** Escapes one character for use in a regular expression. */
function escapeRegex(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}
