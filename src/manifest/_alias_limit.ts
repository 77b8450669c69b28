/**
 * The alias check of a YAML event stream: every alias needs an earlier anchor, and aliases may
 * not multiply the document (a "billion laughs"). The limit is the one the `yaml` package
 * applied to manifests before (`maxAliasCount: 100`), computed the same way, so the same
 * documents are refused.
 *
 * @module
 */
import { type Event, EVENT_ID } from "js-yaml";

/** At most this many nodes' worth of expansion per anchor (`yaml`'s default). */
export const MAX_ALIAS_COUNT = 100;

/** What an alias expands to: plain nodes (`ones`) and the anchors aliased inside it. */
interface Contents {
  ones: boolean;
  inner: Set<Anchor>;
}

/** An anchored node: its uses so far (itself included) and the weight of one use. */
interface Anchor {
  count: number;
  aliasCount: number;
  contents: Contents;
}

/** A refused alias: where it stands and why. */
export interface AliasProblem {
  /** The offset of the `*` in the text. */
  offset: number;
  /** The reason, one line. */
  reason: string;
}

/**
 * The first alias without an anchor before it, or the first that multiplies the document past
 * {@linkcode MAX_ALIAS_COUNT}: each use of an anchor counts as many nodes as the most that
 * one of its leaves stands for (1 for a scalar, uses × weight for an alias inside it).
 *
 * @example
 * ```ts
 * import { parseEvents } from "js-yaml";
 * import { aliasProblem } from "./_alias_limit.ts";
 * import assert from "node:assert/strict";
 *
 * const ok = "a: &k 1\nb: *k\n";
 * assert.equal(aliasProblem(parseEvents(ok, {}), ok), undefined);
 * const unset = "a: *k\n";
 * assert.deepEqual(aliasProblem(parseEvents(unset, {}), unset), {
 *   offset: 3,
 *   reason: "Unresolved alias (the anchor must be set before the alias): k",
 * });
 * ```
 *
 * @param events The parser's events for `text`.
 * @param text The YAML text the events point into.
 * @returns The problem, or undefined when every alias is fine.
 */
export function aliasProblem(events: readonly Event[], text: string): AliasProblem | undefined {
  const anchors = new Map<string, Anchor>();
  const open: Contents[] = [];
  const anchorAt = (start: number, end: number, contents: Contents): void => {
    if (start !== -1) anchors.set(text.slice(start, end), { count: 1, aliasCount: 0, contents });
  };
  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        open.push({ ones: false, inner: new Set() });
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const contents: Contents = { ones: false, inner: new Set() };
        anchorAt(event.anchorStart, event.anchorEnd, contents);
        open.push(contents);
        break;
      }
      case EVENT_ID.SCALAR: {
        const top = open.at(-1);
        if (top) top.ones = true;
        anchorAt(event.anchorStart, event.anchorEnd, { ones: true, inner: new Set() });
        break;
      }
      case EVENT_ID.POP: {
        const done = open.pop();
        const parent = open.at(-1);
        if (done && parent) {
          parent.ones ||= done.ones;
          for (const anchor of done.inner) parent.inner.add(anchor);
        }
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(event.anchorStart, event.anchorEnd);
        const offset = event.anchorStart - 1;
        const anchor = anchors.get(name);
        if (!anchor) {
          return {
            offset,
            reason: `Unresolved alias (the anchor must be set before the alias): ${name}`,
          };
        }
        anchor.count += 1;
        if (anchor.aliasCount === 0) anchor.aliasCount = weight(anchor.contents);
        if (anchor.count * anchor.aliasCount > MAX_ALIAS_COUNT) {
          return { offset, reason: "Excessive alias count indicates a resource exhaustion attack" };
        }
        open.at(-1)?.inner.add(anchor);
        break;
      }
    }
  }
  return undefined;
}

/** The most nodes one leaf of `contents` stands for (0 for an empty collection). */
function weight(contents: Contents): number {
  let most = contents.ones ? 1 : 0;
  for (const anchor of contents.inner) most = Math.max(most, anchor.count * anchor.aliasCount);
  return most;
}
