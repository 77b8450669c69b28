/**
 * One YAML document read for a manifest with `js-yaml` (ESM, cheap to load; the `yaml`
 * package is CommonJS under Deno and cost ~60 ms on every `ext load`): YAML 1.2 core schema
 * (no merge keys, no timestamps), duplicate keys refused, aliases checked, and problems as
 * one line with their line and column.
 *
 * @module
 */
import {
  constructFromEvents,
  CORE_SCHEMA,
  type Event,
  EVENT_ID,
  parseEvents,
  YAMLException,
} from "js-yaml";
import { aliasProblem } from "./_alias_limit.ts";

/** A document read: its data and the events it was built from. */
export interface LoadedYaml {
  /** The document's value (`null` for an empty file). */
  data: unknown;
  /** The parser's events, for reading scalars back at their place. */
  events: Event[];
}

/**
 * `js-yaml` reasons worded as this project reported them before (with the `yaml` package),
 * where both mean the same thing.
 */
const REASONS: Readonly<Record<string, string>> = {
  "duplicated mapping key": "Map keys must be unique",
  "tab characters must not be used in indentation": "Tabs are not allowed as indentation",
  "unexpected end of the stream within a single quoted scalar": "Missing closing 'quote",
  "unexpected end of the stream within a double quoted scalar": 'Missing closing "quote',
  "unexpected end of the stream within a flow collection":
    "Flow collection must be sufficiently indented and end with a ] or }",
};

/**
 * Reads `text` as one YAML document.
 *
 * @example
 * ```ts
 * import { loadYaml } from "./_load_yaml.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual((loadYaml("a: 1.20\n") as { data: unknown }).data, { a: 1.2 });
 * assert.equal(
 *   loadYaml("a: 1\na: 2\n"),
 *   "invalid YAML at line 2, column 1: Map keys must be unique",
 * );
 * ```
 *
 * @param text The YAML text.
 * @returns The document, or the problem as one line (`invalid YAML at line L, column C: …`).
 */
export function loadYaml(text: string): LoadedYaml | string {
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch (error) {
    return syntaxProblem(text, error);
  }
  const documents = events.flatMap((event, i) => event.type === EVENT_ID.DOCUMENT ? [i] : []);
  if (documents[1] !== undefined) {
    const offset = documentOffset(text, events, documents[1]);
    return problem(text, offset, "the file holds more than one YAML document");
  }
  const alias = aliasProblem(events, text);
  if (alias) return problem(text, alias.offset, alias.reason);
  try {
    const [data = null] = constructFromEvents(events, { source: text, schema: CORE_SCHEMA });
    return { data, events };
  } catch (error) {
    return syntaxProblem(text, error);
  }
}

/** The line for an error js-yaml threw. */
function syntaxProblem(text: string, error: unknown): string {
  if (!(error instanceof YAMLException)) {
    return `invalid YAML: ${error instanceof Error ? error.message : String(error)}`;
  }
  const offset = error.mark?.position;
  let reason = REASONS[error.reason] ?? error.reason;
  if (offset !== undefined && error.reason === "deficient indentation") {
    reason = unclosedBefore(text, offset) ?? reason;
  }
  // js-yaml says so for `a: b: c` too; an entry that starts its line is a misaligned key.
  if (offset !== undefined && error.reason === "bad indentation of a mapping entry") {
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    if (text.slice(lineStart, offset).trim() === "") {
      reason = "All mapping items must start at the same column";
    }
  }
  return problem(text, offset, reason);
}

/**
 * What is left open before a line indented too little: js-yaml says "deficient indentation"
 * both inside a quoted scalar and inside a flow collection, and reading the text up to that
 * line tells which.
 */
function unclosedBefore(text: string, offset: number): string | undefined {
  const prefix = text.slice(0, text.lastIndexOf("\n", offset - 1) + 1).trimEnd();
  try {
    parseEvents(prefix, {});
  } catch (error) {
    if (error instanceof YAMLException) return REASONS[error.reason];
  }
  return undefined;
}

/** Where the document of event `index` starts: its `---` line, else its first node. */
function documentOffset(text: string, events: readonly Event[], index: number): number | undefined {
  const document = events[index];
  const first = events[index + 1];
  let node: number | undefined;
  if (first && first.type !== EVENT_ID.POP && first.type !== EVENT_ID.DOCUMENT) {
    const starts = first.type === EVENT_ID.ALIAS
      ? [first.anchorStart - 1]
      : [first.anchorStart, first.tagStart, "start" in first ? first.start : first.valueStart];
    const known = starts.filter((start) => start >= 0);
    if (known.length > 0) node = Math.min(...known);
  }
  if (document?.type !== EVENT_ID.DOCUMENT || !document.explicitStart) return node;
  // The marker is the last `---` at a line start before the node (nothing else may sit between).
  let from = node ?? text.length;
  for (;;) {
    const marker = text.lastIndexOf("---", from);
    if (marker <= 0 || text[marker - 1] === "\n") return marker < 0 ? node : marker;
    from = marker - 1;
  }
}

/** `invalid YAML at line L, column C: reason` (1-based), or without a place when unknown. */
function problem(text: string, offset: number | undefined, reason: string): string {
  if (offset === undefined) return `invalid YAML: ${reason}`;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `invalid YAML at line ${line}, column ${column}: ${reason}`;
}
