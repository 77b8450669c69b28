/**
 * `ext load NAME`: resolve an extension and print where it is.
 *
 * @module
 */

import { loadExtension } from "../loader/load.ts";
import type { ExtensionType } from "../manifest/types.ts";
import type { SourceType } from "../config/types.ts";
import { type GlobalConfigOptions, loadCliConfig } from "./config.ts";
import type { CliContext } from "./io.ts";
import { formatData, type OutputFormat } from "./output.ts";

/** Options of `ext load`. */
export interface LoadCommandOptions {
  version?: string;
  source?: SourceType;
  type?: ExtensionType;
  force?: boolean;
  format: OutputFormat;
}

/**
 * Loads one extension; on success prints `{success, name, type, version, source, path}`
 * (JSON/YAML) or one line; on failure throws the typed error for the caller to report.
 */
export async function runLoad(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  options: LoadCommandOptions,
): Promise<void> {
  const config = await loadCliConfig(ctx, globals);
  const result = await loadExtension(options.type, name, options.version ?? "latest", {
    config,
    ...(options.source === undefined ? {} : { sourceType: options.source }),
    ...(options.force === undefined ? {} : { force: options.force }),
  });
  if (!result.success) throw result.error;
  const { success, type, version, source, path, digest } = result;
  const shown = {
    success,
    name: result.name,
    type,
    version,
    source,
    path,
    ...(digest ? { digest } : {}),
  };
  if (options.format !== "table") return ctx.out(await formatData(shown, options.format));
  ctx.out(`Loaded ${type} ${result.name} ${version} from ${source}: ${path}\n`);
}
