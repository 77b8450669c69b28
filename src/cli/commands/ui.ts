/**
 * Registers `ext ui`: the local marketplace web page.
 *
 * @module
 */

import { type Command, Option } from "../parser/command.ts";
import { examples } from "../help.ts";
import type { CliContext } from "../io.ts";
import { globalOptions } from "./options.ts";
import { declareGrants } from "../command_grants.ts";

/** Adds `ext ui` to the `ext` command. */
export function registerUiCommand(ext: Command, ctx: CliContext): void {
  const ui = ext
    .command("ui")
    .description("browse, compare and pull extensions in a local web page (127.0.0.1 only)")
    .addHelpText(
      "after",
      examples(
        "provisioning ext ui",
        "provisioning ext ui --port 8080 --open",
      ),
    )
    .addOption(new Option("--port <port>", "port on 127.0.0.1 (default 0: any free port)"))
    .option("--open", "open the page in the default browser (xdg-open)")
    .action(async (options, command) => {
      const { runUi } = await import("../ext_ui.ts");
      await runUi(ctx, globalOptions(command), options);
    });
  declareGrants(ui, ({ options }) => ({
    // Deno checks a listen against host:port; port 0 (the system chooses) connects nowhere.
    net: [`127.0.0.1:${/^\d{1,5}$/.test(String(options.port ?? "")) ? Number(options.port) : 0}`],
    run: options.open === true ? ["xdg-open"] : [],
  }));
}
