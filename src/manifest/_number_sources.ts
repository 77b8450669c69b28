/**
 * Version fields written as YAML numbers, read back as the text that was written: YAML reads
 * `version: 1.20` as the number 1.2, and a message about "1.2" would not match the file. The
 * parser's events give each scalar's place in the text, so the written text is taken from
 * there, never guessed from the number.
 *
 * @module
 */
import { constructFromEvents, CORE_SCHEMA, type Event, EVENT_ID, getScalarValue } from "js-yaml";
import type { AliasEvent, MappingEvent, ScalarEvent, SequenceEvent } from "js-yaml";

type Step = string | number;
type Mapping = Record<string, unknown>;
type NodeEvent = SequenceEvent | MappingEvent | ScalarEvent | AliasEvent;

/** A collection being walked: where it is and which of its slots comes next. */
interface Frame {
  mapping: boolean;
  /** Its path from the root; undefined under a key that is not a scalar. */
  path: Step[] | undefined;
  index: number;
  atKey: boolean;
  key: string | undefined;
}

/** A scalar or an alias found where a value goes, with its path. */
interface Placed {
  path: Step[];
  event: Event;
}

/**
 * Replaces, in `data` (built from `events`), each version field that YAML read as a number by
 * the scalar's text: `extension.version`, every value of a `dependencies` mapping and the
 * `version` of each `dependencies` list item. An alias of such a scalar, anywhere, reads as the
 * text too (it is the same node).
 *
 * @example
 * ```ts
 * import { constructFromEvents, CORE_SCHEMA, parseEvents } from "js-yaml";
 * import { keepNumberSources } from "./_number_sources.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "extension:\n  version: 1.20\ndependencies:\n  etcd: 3.50\nx: 1.50\n";
 * const events = parseEvents(text, {});
 * const [data] = constructFromEvents(events, { source: text, schema: CORE_SCHEMA });
 * keepNumberSources(data, events, text);
 * assert.deepEqual(data, {
 *   extension: { version: "1.20" },
 *   dependencies: { etcd: "3.50" },
 *   x: 1.5,
 * });
 * ```
 *
 * @param data The constructed document (changed in place).
 * @param events The parser's events of the one document.
 * @param text The YAML text the events point into.
 */
export function keepNumberSources(data: unknown, events: readonly Event[], text: string): void {
  const anchors = new Map<string, Event>();
  const versions: Placed[] = [];
  const aliases: Placed[] = [];
  walkValues(events, text, (path, event) => {
    if (event.type === EVENT_ID.ALIAS) {
      if (path) aliases.push({ path, event: anchors.get(nameOf(event, text)) ?? event });
      return;
    }
    if (event.anchorStart !== -1) anchors.set(nameOf(event, text), event);
    if (event.type === EVENT_ID.SCALAR && path && isVersionPath(path)) {
      versions.push({ path, event });
    }
  });
  const kept = new Map<Event, string>();
  for (const { path, event } of versions) {
    const source = getScalarValue(text, event as ScalarEvent);
    if (replaceNumber(data, path, source)) kept.set(event, source);
  }
  for (const { path, event } of aliases) {
    const source = kept.get(event);
    if (source !== undefined) replaceNumber(data, path, source);
  }
}

/** `extension.version`, `dependencies.<name>`, `dependencies[i].version`. */
function isVersionPath(path: readonly Step[]): boolean {
  const [top, second, third] = path;
  if (path.length === 2) {
    return (top === "extension" && second === "version") ||
      (top === "dependencies" && typeof second === "string");
  }
  return path.length === 3 && top === "dependencies" && typeof second === "number" &&
    third === "version";
}

/** Sets the value at `path` to `source` if it is a number; true when it did. */
function replaceNumber(data: unknown, path: readonly Step[], source: string): boolean {
  let parent: unknown = data;
  for (const step of path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return false;
    parent = (parent as Mapping)[String(step)];
  }
  const last = String(path.at(-1));
  if (typeof parent !== "object" || parent === null) return false;
  if (!Object.hasOwn(parent, last) || typeof (parent as Mapping)[last] !== "number") return false;
  (parent as Mapping)[last] = source;
  return true;
}

/** The anchor name of a node or alias event. */
function nameOf(event: NodeEvent, text: string): string {
  return text.slice(event.anchorStart, event.anchorEnd);
}

/**
 * Calls `visit` for every node and alias event with the path of the value slot it fills
 * (undefined for keys and for anything under a key that is not a scalar).
 */
function walkValues(
  events: readonly Event[],
  text: string,
  visit: (path: Step[] | undefined, event: NodeEvent) => void,
): void {
  const frames: Frame[] = [];
  /** The path of the slot the next node fills in the innermost collection, or undefined. */
  const slot = (): Step[] | undefined => {
    const top = frames.at(-1);
    if (!top) return [];
    if (!top.path || (top.mapping && (top.atKey || top.key === undefined))) return undefined;
    return [...top.path, top.mapping ? top.key! : top.index];
  };
  /** Moves the innermost collection past the node just read, keeping a scalar key's text. */
  const advance = (key: string | undefined): void => {
    const top = frames.at(-1);
    if (!top) return;
    if (!top.mapping) top.index++;
    else if (top.atKey) [top.atKey, top.key] = [false, key];
    else [top.atKey, top.key] = [true, undefined];
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        visit(slot(), event);
        frames.push({
          mapping: event.type === EVENT_ID.MAPPING,
          path: slot(),
          index: 0,
          atKey: true,
          key: undefined,
        });
        break;
      case EVENT_ID.POP:
        if (frames.pop()) advance(undefined);
        break;
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS: {
        const top = frames.at(-1);
        const isKey = top !== undefined && top.mapping && top.atKey;
        visit(isKey ? undefined : slot(), event);
        advance(isKey && event.type === EVENT_ID.SCALAR ? keyText(event, text) : undefined);
        break;
      }
    }
  }
}

/** A scalar key as the constructed mapping holds it (`String()` of its value). */
function keyText(event: ScalarEvent, text: string): string {
  const document: Event = {
    type: EVENT_ID.DOCUMENT,
    explicitStart: false,
    explicitEnd: false,
    directives: [],
  };
  const [value] = constructFromEvents([document, event, { type: EVENT_ID.POP }], {
    source: text,
    schema: CORE_SCHEMA,
  });
  return String(value);
}
