/**
 * A reference side of `bench_startup.ts`: the cost of evaluating Commander (npm CommonJS,
 * through Deno's Node layer) and building one command, nothing else.
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";

new Command("provisioning").option("--debug").parse([], { from: "user" });
