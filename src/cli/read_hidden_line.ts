/**
 * Reading a password typed on a terminal without showing it: raw mode (no echo), one line,
 * Backspace honoured, Ctrl-C cancels.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";

/**
 * Reads one line of raw terminal input (keys as they are pressed, nothing echoed): ends at
 * Enter, Backspace/Delete removes the last character, Ctrl-D on an empty line or the end of
 * input gives `null`, Ctrl-C cancels.
 *
 * @example
 * ```ts
 * import { readHiddenLine } from "./read_hidden_line.ts";
 * import assert from "node:assert/strict";
 *
 * const keys = (text: string) => ReadableStream.from([new TextEncoder().encode(text)]);
 * assert.equal(await readHiddenLine(keys("s3crx\x7ft\rignored")), "s3crt");
 * assert.equal(await readHiddenLine(keys("\x04")), null);
 * await assert.rejects(readHiddenLine(keys("ab\x03")), /cancelled/);
 * ```
 *
 * @param keys The terminal's bytes (raw mode).
 * @returns The line, without its end; `null` when nothing was typed before the end.
 * @throws {ProvisioningError} `USAGE` on Ctrl-C.
 */
export async function readHiddenLine(keys: ReadableStream<Uint8Array>): Promise<string | null> {
  const reader = keys.getReader();
  const decoder = new TextDecoder();
  let line = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return line === "" ? null : line;
      for (const char of decoder.decode(value, { stream: true })) {
        if (char === "\r" || char === "\n") return line;
        if (char === "\x03") throw new ProvisioningError("USAGE", "Password prompt cancelled");
        if (char === "\x04") {
          if (line === "") return null;
          continue;
        }
        if (char === "\x7f" || char === "\b") line = [...line].slice(0, -1).join("");
        else if (char >= " ") line += char;
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Asks for a password on the process's terminal: `question` on stderr, stdin in raw mode
 * while the line is typed (so nothing is echoed), then a newline.
 *
 * @example
 * ```ts ignore
 * const password = await promptHidden(ctx, "Password: ");
 * ```
 *
 * @param io Where the question goes.
 * @param question The prompt.
 * @returns The line typed, or `null` at Ctrl-D.
 * @throws {ProvisioningError} `USAGE` on Ctrl-C.
 */
export async function promptHidden(
  io: { err(text: string): void },
  question: string,
): Promise<string | null> {
  // Raw mode first: keys typed as soon as the question shows are never echoed.
  Deno.stdin.setRaw(true);
  try {
    io.err(question);
    return await readHiddenLine(Deno.stdin.readable);
  } finally {
    Deno.stdin.setRaw(false);
    io.err("\n");
  }
}
