/**
 * "Did you mean" suggestions for unknown config keys.
 *
 * @module
 */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf(".") + 1);
}

/**
 * The known key closest to `unknown`: one with the same last segment (a key in the wrong
 * section), else the nearest by edit distance when it is within a third of the key's length.
 *
 * @param unknown The dotted key that is not in the schema (`oci.regsitry`).
 * @param known Candidate dotted keys and section names.
 * @returns The suggestion, or undefined when nothing is close.
 */
export function didYouMean(unknown: string, known: readonly string[]): string | undefined {
  const sameName = known.find((key) =>
    key !== unknown && key.includes(".") && lastSegment(key) === lastSegment(unknown)
  );
  if (sameName !== undefined) return sameName;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(unknown.length / 3)) + 1;
  for (const key of known) {
    const distance = editDistance(unknown.toLowerCase(), key.toLowerCase());
    if (distance < bestDistance) {
      best = key;
      bestDistance = distance;
    }
  }
  return best;
}
