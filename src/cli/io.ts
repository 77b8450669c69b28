/**
 * The process surroundings a command runs in, passed explicitly so commands stay testable
 * and never read globals at import time.
 *
 * @module
 */

/** Where a command writes and what it knows about the terminal. */
export interface CliIo {
  /** Writes to stdout (results). */
  out(text: string): void;
  /** Writes to stderr (messages, warnings, progress). */
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars, colour). */
  stderrIsTerminal: boolean;
  /** Whether colour may be used on stderr (a terminal and `NO_COLOR` unset). */
  color: boolean;
  /** Stdout's width in columns when it is a terminal (tables fit it); unset for a pipe or file. */
  stdoutColumns?: number | undefined;
}

/** The process environment a command sees. */
export interface CliEnv {
  /** Current directory. */
  cwd: string;
  /** Home directory (`HOME`), for `~/.provisioning`. */
  home: string;
  /** Reads one environment variable (only the documented ones are ever asked for). */
  getEnv(name: string): string | undefined;
}

/** Everything a command needs from the process. */
export interface CliContext extends CliIo, CliEnv {}

const encoder = new TextEncoder();

/**
 * Thrown when the reader of stdout has gone (`provisioning env | head -1`): nothing more can
 * be said there, and the command stops quietly with exit code 0, as ripgrep does.
 */
export class StdoutClosed extends Error {
  /** Constructs the error. */
  constructor(options?: ErrorOptions) {
    super("stdout was closed by its reader", options);
    this.name = "StdoutClosed";
  }
}

/**
 * The context of the real process: stdout/stderr of Deno, `NO_COLOR` honoured.
 *
 * @example
 * ```ts ignore
 * import { processContext } from "./io.ts";
 * const ctx = processContext();
 * ctx.err("hello\n");
 * ```
 *
 * @returns A context bound to `Deno.stdout`, `Deno.stderr` and the real environment.
 */
export function processContext(): CliContext {
  const stderrIsTerminal = Deno.stderr.isTerminal();
  return {
    out: (text) => {
      try {
        writeAll(Deno.stdout, text);
      } catch (error) {
        throw error instanceof Deno.errors.BrokenPipe ? new StdoutClosed({ cause: error }) : error;
      }
    },
    err: (text) => writeAll(Deno.stderr, text),
    stderrIsTerminal,
    color: stderrIsTerminal && !Deno.noColor,
    stdoutColumns: terminalColumns(),
    cwd: invocationDir(),
    home: safeEnv("HOME") ?? safeEnv("USERPROFILE") ?? Deno.cwd(),
    getEnv: safeEnv,
  };
}

/** Stdout's width when it is a terminal that reports one. */
function terminalColumns(): number | undefined {
  try {
    if (!Deno.stdout.isTerminal()) return undefined;
    const { columns } = Deno.consoleSize();
    return columns > 0 ? columns : undefined;
  } catch {
    return undefined; // a terminal that cannot say its size: do not cut anything
  }
}

function writeAll(target: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(target.writeSync(bytes));
}

/**
 * The folder the user ran the command in. `deno task` (like npm scripts) runs a task in the
 * folder of its `deno.json` and passes the caller's folder as `INIT_CWD`: paths on the command
 * line and the workspace search start there.
 */
function invocationDir(): string {
  const init = safeEnv("INIT_CWD");
  // No node:path here: this module is on the start-up path.
  const absolute = init !== undefined && (init.startsWith("/") || /^[A-Za-z]:[\\/]/.test(init));
  return absolute ? init : Deno.cwd();
}

/** Reads a variable; a variable we are not permitted to read counts as unset. */
function safeEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}

/** ANSI styling that degrades to plain text when colour is off. */
export function paint(
  ctx: Pick<CliIo, "color">,
  style: "red" | "yellow" | "dim" | "bold",
  text: string,
): string {
  if (!ctx.color) return text;
  const codes = { red: [31, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22] }[style];
  return `\x1b[${codes[0]}m${text}\x1b[${codes[1]}m`;
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides that reorder text. */
// deno-lint-ignore no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (registries, archives, manifests, servers) made safe to print on one
 * line: control characters, escape sequences and bidirectional overrides are shown as
 * `\n`, `\x1b`, `\u202e`…, so they can neither drive the terminal nor fake an output line.
 *
 * @example
 * ```ts
 * import { printable } from "./io.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(printable("ok\n\x1b[2Jerror: fake"), "ok\\n\\x1b[2Jerror: fake");
 * assert.equal(printable("caf\u00e9 \u202eevil"), "caf\u00e9 \\u202eevil");
 * ```
 *
 * @param text Any text.
 * @returns The text with every unprintable character escaped.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
