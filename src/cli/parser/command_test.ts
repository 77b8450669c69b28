import assert from "node:assert/strict";
import { Command, CommandLineStop, InvalidArgumentError, Option } from "./command.ts";

/** A small tree like the CLI's, recording what ran and what was written. */
function tree() {
  const said = { out: "", err: "", ran: [] as unknown[] };
  const program = new Command("tool")
    .option("--debug", "more output")
    .option("--registry <host>", "registry")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (t) => said.out += t, writeErr: (t) => said.err += t });
  const ext = program.command("ext").description("extensions");
  ext.command("load").argument("<name>", "its name")
    .option("-f, --force", "refetch")
    .option("-o, --format <format>", "output format", "table")
    .addOption(
      new Option("--keep <n>").argParser((v) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected a whole number");
        return Number(v);
      }),
    )
    .addOption(
      new Option("--key <file>").argParser((v, previous: string[] = []) => [...previous, v]),
    )
    .option("--no-probe", "do not probe")
    .action((name, options, command) => {
      said.ran.push(name, options, command.optsWithGlobals().registry);
    });
  ext.command("login").argument("<registry>").requiredOption("-u, --username <user>", "user")
    .action(() => {});
  ext.command("update").argument("[names...]").action((names) => said.ran.push(names));
  ext.command("permissions").allowUnknownOption().argument("[command...]")
    .option("-o, --format <format>", "output format")
    .action((words, options) => said.ran.push(words, options));
  ext.command("secret", { hidden: true }).action(() => {});
  return { program, said };
}

async function parse(...argv: string[]) {
  const { program, said } = tree();
  let stop: CommandLineStop | undefined;
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CommandLineStop)) throw error;
    stop = error;
  }
  return { ...said, stop };
}

Deno.test("options are read anywhere before --, an ancestor's too, in every spelling", async () => {
  const run = await parse(
    "--debug",
    "ext",
    "load",
    "-fo",
    "json",
    "aws",
    "--registry=r",
    "--keep",
    "2",
  );
  assert.deepEqual(run.ran, [
    "aws",
    { format: "json", force: true, keep: 2, probe: true },
    "r",
  ]);
  const joined = await parse("ext", "load", "-ojson", "--no-probe", "--key", "a", "--key=b", "x");
  assert.deepEqual(joined.ran[1], { format: "json", probe: false, key: ["a", "b"] });
  const dashes = await parse("ext", "load", "aws", "--", "-f");
  assert.match(
    dashes.err,
    /^error: too many arguments for 'load'\. Expected 1 argument but got 2\./,
  );
});

Deno.test("usage errors are one line (and the hint), exit code 1, nothing run", async () => {
  const cases: [string[], string][] = [
    [["ext", "load", "--bogus"], "error: unknown option '--bogus'"],
    [["ext", "load", "a", "--forse"], "error: unknown option '--forse'\n(Did you mean --force?)"],
    [["ext", "load"], "error: missing required argument 'name'"],
    [["ext", "load", "a", "-o"], "error: option '-o, --format <format>' argument missing"],
    [
      ["ext", "load", "a", "--keep", "-1"],
      "error: option '--keep <n>' argument '-1' is invalid. expected a whole number",
    ],
    [["ext", "lod"], "error: unknown command 'lod'\n(Did you mean load?)"],
    [["ext", "login"], "error: required option '-u, --username <user>' not specified"],
    [["--registry"], "error: option '--registry <host>' argument missing"],
    [["ext", "secre"], "error: unknown command 'secre'"],
  ];
  for (const [argv, line] of cases) {
    const run = await parse(...argv);
    assert.equal(run.err, `${line}\n(run with --help for usage)\n`, argv.join(" "));
    assert.equal(run.stop?.exitCode, 1);
    assert.deepEqual(run.ran, []);
  }
});

Deno.test("help: -h where it stands, help WORDS, and a group without its subcommand", async () => {
  const leaf = await parse("ext", "load", "--help", "x");
  assert.match(leaf.out, /^Usage: tool ext load \[options\] <name>\n/);
  assert.equal(leaf.stop?.exitCode, 0);
  assert.equal(
    (await parse("ext", "-h", "load")).out.split("\n")[0],
    "Usage: tool ext [options] [command]",
  );
  assert.equal((await parse("help", "ext", "load")).out, leaf.out);
  assert.equal((await parse("ext", "help", "load")).out, leaf.out);
  const group = await parse("ext");
  assert.equal(group.out, "");
  assert.match(group.err, /^Usage: tool ext \[options\] \[command\]\n\nextensions\n/);
  assert.doesNotMatch(group.err, /secret/);
  assert.equal(group.stop?.exitCode, 1);
});

Deno.test("variadic arguments, and unknown options passed on where allowed", async () => {
  assert.deepEqual((await parse("ext", "update")).ran, [[]]);
  assert.deepEqual((await parse("ext", "update", "a", "b")).ran, [["a", "b"]]);
  const described = await parse("ext", "permissions", "ui", "--port", "8080", "-o", "json");
  assert.deepEqual(described.ran, [["ui", "--port", "8080", "-o", "json"], {}]);
  const own = await parse("ext", "permissions", "-o", "json", "--", "load", "--bogus");
  assert.deepEqual(own.ran, [["load", "--bogus"], { format: "json" }]);
});

Deno.test("a default subcommand takes the line when no subcommand is named", async () => {
  let got: unknown[] = [];
  const program = new Command("tool");
  program.command("publish", { isDefault: true }).argument("<dir>").option("--version <v>")
    .action((dir, options) => got = [dir, options]);
  program.command("list").action(() => {});
  await program.parseAsync(["--version", "1.0.0", "./x"]);
  assert.deepEqual(got, ["./x", { version: "1.0.0" }]);
});

Deno.test("preAction hooks run before the action, with the command that runs", async () => {
  const order: string[] = [];
  const program = new Command("tool").hook("preAction", (_root, action) => {
    order.push(`hook ${action.name()} ${JSON.stringify(action.processedArgs)}`);
  });
  program.command("load").argument("<name>").action(() => order.push("action"));
  await program.parseAsync(["load", "aws"]);
  assert.deepEqual(order, ['hook load ["aws"]', "action"]);
});
