/**
 * The yes/no confirmation destructive commands ask on a terminal (`ext delete`,
 * `ext cache clear --all`), injectable so tests can answer.
 *
 * @module
 */

import type { CliContext } from "./io.ts";

/** How a command asks for confirmation (injectable for tests). */
export interface ConfirmPrompt {
  /** Whether a person can answer (stdin is a terminal). */
  interactive: boolean;
  /** Shows `question` on stderr and returns the answer line (`null` at end of input). */
  ask(question: string): Promise<string | null>;
}

/**
 * Whether an answer means yes (`y`, `yes`, any case); anything else, an empty line or the
 * end of input is no.
 *
 * @example
 * ```ts
 * import { isYes } from "./confirm_prompt.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isYes(" Yes "), true);
 * assert.equal(isYes(""), false);
 * assert.equal(isYes(null), false);
 * ```
 *
 * @param answer The line typed, or `null`.
 * @returns True for yes.
 */
export function isYes(answer: string | null): boolean {
  return /^\s*y(es)?\s*$/i.test(answer ?? "");
}

/**
 * The process's prompt: interactive when stdin is a terminal; reads one line of stdin.
 *
 * @example
 * ```ts ignore
 * const prompt = terminalPrompt(ctx);
 * if (prompt.interactive) isYes(await prompt.ask("Remove everything? [y/N] "));
 * ```
 *
 * @param ctx Where the question is written (stderr).
 * @returns The prompt.
 */
export function terminalPrompt(ctx: Pick<CliContext, "err">): ConfirmPrompt {
  return {
    interactive: Deno.stdin.isTerminal(),
    async ask(question) {
      ctx.err(question);
      return await readLine(Deno.stdin.readable);
    },
  };
}

/** Reads up to the first newline (excluded); `null` when the input ends first with nothing. */
async function readLine(stream: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return text === "" ? null : text;
      text += decoder.decode(value, { stream: true });
      const newline = text.indexOf("\n");
      if (newline !== -1) return text.slice(0, newline);
    }
  } finally {
    reader.releaseLock();
  }
}
