/**
 * `ext run NAME HOOK` and `ext approve NAME`: running an extension's hook under the
 * consent policy, and recording that consent.
 *
 * @module
 */

import type { ResolvedConfig, SourceType } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { describeGrants, grantsOf, isEmptyGrants, unapprovedGrants } from "../hooks/approval.ts";
import { approveInConfig, readHooksConfig } from "../hooks/hooks_config.ts";
import { resolveHook } from "../hooks/resolve_hook.ts";
import { runHook } from "../hooks/run_hook.ts";
import type { LoadResult } from "../loader/types.ts";
import type { ExtensionType } from "../manifest/types.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import { type CliContext, paint, printable } from "./io.ts";
import { loadForCommand } from "./ext_load.ts";

/** Options of `ext run`. */
export interface RunHookCommandOptions {
  input?: string;
  version?: string;
  approve?: boolean;
  source?: SourceType;
  type?: ExtensionType;
  offline?: boolean;
}

/** Where `ext run` asks for consent (the real terminal unless a test gives another). */
export interface ConsentTerminal {
  /** Whether stdin and stderr are a terminal. */
  isTerminal(): boolean;
  /** Reads one line typed on it. */
  readLine(): Promise<string | null>;
}

/**
 * Loads the extension (the loader's rules, as `ext load`), checks the hook's permissions
 * against `[hooks.approved]`, asks on a terminal when they are not approved (refuses
 * elsewhere unless `--approve`), runs the hook and prints its JSON output on stdout.
 *
 * @example
 * ```ts ignore
 * await runHookCommand(ctx, {}, "aws", "render", { input: "params.json" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param name Extension name.
 * @param hook Hook name.
 * @param options The command's flags.
 * @param terminal Where consent is asked (default: the process's terminal).
 * @throws {ProvisioningError} `HOOKS_DISABLED`, `HOOK_NOT_APPROVED` (exit 5),
 *   `HOOK_FAILED` (exit 6), `USAGE` for input that is not JSON, the loader's errors.
 */
export async function runHookCommand(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  hook: string,
  options: RunHookCommandOptions,
  terminal: ConsentTerminal = processTerminal(),
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const hooks = await readHooksConfig(config);
  if (!hooks.enabled) {
    throw new ProvisioningError("HOOKS_DISABLED", "Extension hooks are turned off", {
      hint: `${hooks.file ?? "The user config"} sets [hooks] enabled = false`,
    });
  }
  const input = await readInput(options.input);
  const loaded = await load(ctx, config, name, options);
  const resolved = await resolveHook(loaded.path!, hook, loaded.manifest);
  const requested = grantsOf(resolved.permissions);
  const missing = unapprovedGrants(requested, hooks.approved[resolved.extension]);
  if (!isEmptyGrants(missing) && options.approve !== true) {
    const subject = `Hook ${JSON.stringify(hook)} of ${JSON.stringify(resolved.extension)} ${
      loaded.version ?? ""
    }`.trimEnd();
    const refusal = new ProvisioningError(
      "HOOK_NOT_APPROVED",
      `${subject} asks for ${describeGrants(missing)}, which was never approved`,
      {
        hint: `Approve it with \`provisioning ext approve ${resolved.extension}\`, ` +
          "or run it once with --approve",
      },
    );
    if (!terminal.isTerminal() || options.input === "-") throw refusal;
    ctx.err(
      `${paint(ctx, "bold", printable(subject))} asks for: ${
        printable(describeGrants(missing))
      }\n` +
        "Run it with these permissions? [y/N] ",
    );
    const answer = (await terminal.readLine())?.trim().toLowerCase();
    if (answer !== "y" && answer !== "yes") throw refusal;
  }
  const output = await runHook(loaded, hook, input, {
    cacheRoot: config.settings.cache.dir,
    onLog: (line) => ctx.err(`${printable(line)}\n`),
  });
  ctx.out(JSON.stringify(output, null, 2) + "\n");
}

/** Options of `ext approve`. */
export interface ApproveCommandOptions {
  version?: string;
  source?: SourceType;
  type?: ExtensionType;
  offline?: boolean;
}

/**
 * Loads the extension and records the permissions its hooks ask for as approved in the
 * user config (`[hooks.approved] "NAME" = { net = [...], read = [...], env = [...] }`).
 *
 * @example
 * ```ts ignore
 * await runApproveCommand(ctx, {}, "aws", { version: "2.1.0" });
 * ```
 *
 * @param ctx Output streams and environment.
 * @param globals Global flags.
 * @param name Extension name.
 * @param options The command's flags.
 * @throws {ProvisioningError} `USAGE` for an extension without hooks, `INVALID_CONFIG`
 *   when the user config cannot be updated, the loader's errors.
 */
export async function runApproveCommand(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: ApproveCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const loaded = await load(ctx, config, name, options);
  const manifest = loaded.manifest;
  if (manifest === undefined || Object.keys(manifest.hooks ?? {}).length === 0) {
    throw new ProvisioningError(
      "USAGE",
      `Extension ${JSON.stringify(loaded.name)} ${loaded.version ?? ""} declares no hooks`
        .replace(/ +declares/, " declares"),
    );
  }
  const file = config.files.find((entry) => entry.kind === "user")?.path;
  if (file === undefined) throw new ProvisioningError("USAGE", "There is no user config file");
  const grants = grantsOf(manifest.permissions);
  await approveInConfig(file, manifest.extension.name, grants);
  ctx.out(
    `Approved ${manifest.extension.name} ${manifest.extension.version}: ${
      printable(describeGrants(grants))
    } (${file})\n`,
  );
}

async function load(
  ctx: CliContext,
  config: ResolvedConfig,
  name: string,
  options: { version?: string; source?: SourceType; type?: ExtensionType; offline?: boolean },
): Promise<LoadResult & { path: string }> {
  const result = await loadForCommand("load", ctx, config, name, options);
  if (result.path === undefined) {
    throw new ProvisioningError("NOT_FOUND", `Extension ${JSON.stringify(name)} has no folder`);
  }
  return result as LoadResult & { path: string };
}

async function readInput(input: string | undefined): Promise<unknown> {
  if (input === undefined) return {};
  let text: string;
  try {
    text = input === "-"
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(input);
  } catch (error) {
    throw new ProvisioningError(
      error instanceof Deno.errors.NotFound ? "NOT_FOUND" : "USAGE",
      `Cannot read the hook input ${JSON.stringify(input)}: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProvisioningError(
      "USAGE",
      `The hook input ${input === "-" ? "on stdin" : JSON.stringify(input)} is not JSON: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

function processTerminal(): ConsentTerminal {
  return {
    isTerminal: () => Deno.stdin.isTerminal() && Deno.stderr.isTerminal(),
    readLine: async () => {
      const reader = Deno.stdin.readable.getReader();
      const decoder = new TextDecoder();
      let line = "";
      try {
        while (!line.includes("\n")) {
          const { value, done } = await reader.read();
          if (done) return line === "" ? null : line;
          line += decoder.decode(value, { stream: true });
        }
        return line.slice(0, line.indexOf("\n"));
      } finally {
        reader.releaseLock();
      }
    },
  };
}
