/**
 * The publishing tool (the seed's `publish_extension.nu`), a thin shell over `src/publish`
 * and `src/oci`, with the CLI's configuration, output and exit codes.
 *
 * ```sh
 * deno run --allow-all scripts/publish_extension.ts ./my-ext --version 1.2.0 [--dry-run] [--force]
 * deno run --allow-all scripts/publish_extension.ts list
 * deno run --allow-all scripts/publish_extension.ts info my-ext 1.2.0
 * deno run --allow-all scripts/publish_extension.ts delete my-ext 1.2.0 --force
 * ```
 *
 * Global flags: `--registry HOST[:PORT]`, `--namespace NS`, `--debug`; every command takes
 * `--format table|json|yaml`. Exit codes as `provisioning`: 0 ok, 1 unexpected, 2 bad input,
 * 3 not found, 4 registry unreachable or auth refused, 5 integrity.
 *
 * @module
 */

import { formatOption, globalOptions } from "../src/cli/commands/options.ts";
import { type GlobalConfigOptions, loadCliConfig } from "../src/cli/config.ts";
import { runDelete, runPublish } from "../src/cli/ext_publish.ts";
import { type CliContext, processContext } from "../src/cli/io.ts";
import { formatData, formatTable, type OutputFormat } from "../src/cli/output.ts";
import { rootCommand, runProgram } from "../src/cli/root_command.ts";
import { type ExitCode, isProvisioningError, ProvisioningError } from "../src/errors.ts";
import { listArtifacts } from "../src/oci/catalog.ts";
import { createRegistryClient, type RegistryClient } from "../src/oci/client.ts";
import { pullArtifact } from "../src/oci/pull.ts";
import { formatReference } from "../src/oci/reference.ts";
import { getArtifactTags } from "../src/oci/tags.ts";
import type { ImageManifest } from "../src/oci/types.ts";
import { readRepositoryType } from "../src/publish/repository_type.ts";
import { sortBySemver, tagToVersion, versionToTag } from "../src/versions/mod.ts";

/** One row of `list`. */
export interface ListedRepository {
  /** Extension name (last path component). */
  name: string;
  /** `namespace/name`. */
  repository: string;
  /** The type of its highest version, `null` when it does not say. */
  type: string | null;
  /** Published versions, highest first. */
  versions: string[];
}

/** The result of `info`. */
export interface PublishedInfo {
  /** `registry/namespace/name:tag`. */
  reference: string;
  /** Manifest digest. */
  digest: string;
  /** Manifest media type. */
  mediaType: string;
  /** The image manifest. */
  manifest: ImageManifest;
  /** The config blob (the extension manifest as JSON), `null` for foreign artifacts. */
  config: unknown;
}

/**
 * Runs the tool on `argv`. Never throws, never exits: returns the exit code.
 *
 * @param argv Arguments after the script name.
 * @param ctx Output streams and environment.
 * @returns The exit code.
 */
export async function runPublishTool(argv: readonly string[], ctx: CliContext): Promise<ExitCode> {
  const program = rootCommand(
    "publish_extension",
    "publish, list, inspect and delete extensions in an OCI registry",
    ctx,
  );

  program
    .command("publish", { isDefault: true })
    .description("validate, package and push an extension directory (the default command)")
    .argument("<dir>", "extension directory")
    .option("--version <version>", "publish as this version (default: the manifest's)")
    .option("--force", "overwrite the version if it is already published")
    .option("--dry-run", "validate and package only; show what would be pushed")
    .option("--max-file-size <bytes>", "refuse files larger than this (default 104857600)")
    .addOption(formatOption())
    .action(async (dir, options, command) => {
      await runPublish(ctx, globalOptions(command), dir, options);
    });

  program
    .command("list")
    .description("extensions in the namespace and their versions")
    .addOption(formatOption())
    .action(async (options, command) => {
      await runList(ctx, globalOptions(command), options.format);
    });

  program
    .command("info")
    .description("manifest and config of one published version")
    .argument("<name>", "extension name")
    .argument("<version>", "exact version")
    .addOption(formatOption())
    .action(async (name, version, options, command) => {
      await runInfo(ctx, globalOptions(command), name, version, options.format);
    });

  program
    .command("delete")
    .description("delete a published version (--force, or confirm on a terminal)")
    .argument("<name>", "extension name")
    .argument("<version>", "exact version")
    .option("--force", "do not ask for confirmation")
    .addOption(formatOption())
    .action(async (name, version, options, command) => {
      await runDelete(ctx, globalOptions(command), name, version, options);
    });

  return await runProgram(program, argv, ctx);
}

/** `list`: every repository under the namespace with its versions and type. */
async function runList(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  format: OutputFormat,
): Promise<void> {
  using client = await openClient(ctx, globals);
  const namespace = client.settings.namespace;
  const rows: ListedRepository[] = [];
  for (const repository of await listArtifacts(client, { namespace })) {
    const reference = client.reference(`${client.registry}/${repository}`);
    const tags = await getArtifactTags(client, reference).catch((error: unknown) => {
      if (isProvisioningError(error, "NOT_FOUND")) return [] as string[];
      throw error;
    });
    const versions = tags.map(tagToVersion).filter((v): v is string => v !== undefined);
    if (versions.length === 0) continue;
    const held = await readRepositoryType(client, reference, tags);
    rows.push({
      name: reference.name,
      repository,
      type: held?.type ?? null,
      versions: sortBySemver(versions).reverse(),
    });
  }
  if (format !== "table") return ctx.out(await formatData(rows, format));
  if (rows.length === 0) return ctx.err(`No extensions in "${client.registry}/${namespace}"\n`);
  ctx.out(formatTable(rows, [
    { header: "NAME", value: (r) => r.name },
    { header: "TYPE", value: (r) => r.type },
    { header: "VERSIONS", value: (r) => r.versions.join(", ") },
  ]));
}

/** `info NAME VERSION`: the manifest and config of a published version. */
async function runInfo(
  ctx: CliContext,
  globals: GlobalConfigOptions,
  name: string,
  version: string,
  format: OutputFormat,
): Promise<void> {
  using client = await openClient(ctx, globals);
  const repository = client.reference(name);
  const tags = await getArtifactTags(client, repository);
  const tag = tags.includes(versionToTag(version))
    ? versionToTag(version)
    : tags.find((t) => tagToVersion(t) === version);
  if (tag === undefined) {
    throw new ProvisioningError(
      "VERSION_NOT_FOUND",
      `Version "${version}" of "${repository.registry}/${repository.repository}" not found`,
    );
  }
  const pulled = await pullArtifact(client, { ...repository, tag });
  const info: PublishedInfo = {
    reference: formatReference(pulled.reference),
    digest: pulled.digest,
    mediaType: pulled.mediaType,
    manifest: pulled.manifest,
    config: pulled.config.value ?? null,
  };
  if (format !== "table") return ctx.out(await formatData(info, format));
  ctx.out(
    `reference: ${info.reference}\ndigest:    ${info.digest}\n\nmanifest:\n` +
      `${JSON.stringify(info.manifest, null, 2)}\n\nconfig:\n` +
      `${JSON.stringify(info.config, null, 2)}\n`,
  );
}

/** A registry client for the effective configuration. */
async function openClient(ctx: CliContext, globals: GlobalConfigOptions): Promise<RegistryClient> {
  const config = await loadCliConfig(ctx, globals);
  return createRegistryClient(config.settings.oci, {
    home: ctx.home,
    onNote: (line) => ctx.err(`note: ${line}\n`),
  });
}

if (import.meta.main) {
  Deno.exit(await runPublishTool(Deno.args, processContext()));
}
