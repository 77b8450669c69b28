/**
 * Finds, by scanning the text, the line where a TOML key or table is defined. Best effort: it
 * understands `[table]` headers and `a.b = …` keys, which is how config files are written.
 *
 * @module
 */

function splitKey(text: string): string[] {
  return text.split(".").map((part) => part.trim().replace(/^(["'])(.*)\1$/, "$2"));
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}

const HEADER_RE = /^\s*\[\[?\s*([^\][]+?)\s*\]\]?/;
const KEY_RE =
  /^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=/;

function findExact(lines: readonly string[], path: readonly string[]): number | undefined {
  let table: string[] = [];
  for (const [index, line] of lines.entries()) {
    const header = HEADER_RE.exec(line);
    if (header?.[1] !== undefined) {
      table = splitKey(header[1]);
      if (samePath(table, path)) return index + 1;
      continue;
    }
    const key = KEY_RE.exec(line);
    if (key?.[1] !== undefined && samePath([...table, ...splitKey(key[1])], path)) {
      return index + 1;
    }
  }
  return undefined;
}

/**
 * The 1-based line defining `path` (`["oci", "timeout"]`), or of its nearest enclosing
 * table or key when the exact key is not on a line of its own (inline tables).
 *
 * @param text The TOML text.
 * @param path Key path.
 * @returns The line number, or undefined when nothing matches.
 */
export function findKeyLine(text: string, path: readonly string[]): number | undefined {
  const lines = text.split(/\r?\n/);
  for (let length = path.length; length > 0; length--) {
    const line = findExact(lines, path.slice(0, length));
    if (line !== undefined) return line;
  }
  return undefined;
}
