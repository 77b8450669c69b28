// Shared by the publish tests against the real registry: settings for a harness registry,
// the registry's own record of requests (to prove what was and was not sent), sample trees.

import assert from "node:assert/strict";
import type { OciSettings } from "../../src/config/types.ts";
import type { PublishOptions } from "../../src/publish/mod.ts";
import type { TestRegistry } from "../harness/registry.ts";
import { FAST_RETRY, uniqueNamespace } from "../oci/_helpers.ts";
import { makeTree, run, type Tree } from "./_fixture.ts";

/** `[oci]` settings for a harness registry (plain variant) under a fresh namespace. */
export function ociSettingsFor(reg: TestRegistry, namespace = uniqueNamespace("pub")): OciSettings {
  return {
    registry: reg.url,
    namespace,
    auth_token_path: undefined,
    insecure: false,
    timeout: 30,
    retry_count: 2,
    ca_file: reg.caFile,
    cert_file: undefined,
    key_file: undefined,
    docker_config: undefined,
    auth_file: undefined,
    repositories: [],
    concurrency: 4,
    chunk_size: 8 * 1024 * 1024,
    redirect_hosts: [],
    mirrors: [],
    registries: [],
  };
}

/** Publish options for a harness registry: no credential files, fast retries. */
export function publishOptionsFor(
  reg: TestRegistry,
  namespace?: string,
): Pick<PublishOptions, "config" | "clientOptions"> {
  return {
    config: { settings: { oci: ociSettingsFor(reg, namespace) } },
    clientOptions: {
      retry: FAST_RETRY,
      credentials: { get: () => Promise.resolve(undefined) },
    },
  };
}

/** A manifest text. */
export function manifestText(name: string, version: string, type = "taskserv"): string {
  return `extension:\n  name: ${name}\n  version: "${version}"\n  type: ${type}\n` +
    `  description: ${name} for tests\n`;
}

/** A small extension tree with a manifest, a script and a nested file. */
export function smallTree(name: string, version: string, type = "taskserv"): Tree {
  return {
    "extension.yaml": manifestText(name, version, type),
    "kcl/main.k": `schema ${name.replace(/[^a-z]/g, "")}:\n    name: str\n`,
    "scripts/install.sh": "#!/bin/sh\necho install\n",
    "docs/README.md": `# ${name}\n`,
  };
}

/** Writes `tree` to a temp dir, runs `fn`, always removes it. */
export async function withTree<T>(tree: Tree, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeTree(tree, "publish-reg-");
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A temp dir for `fn`, always removed. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "publish-tmp-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** One request as the registry logged it. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/g;

/**
 * Runs `fn` and returns every request the registry logged meanwhile. The registry writes its
 * log asynchronously, so a sentinel request is sent afterwards and the log is read up to it:
 * anything `fn` sent is logged before the sentinel.
 */
export async function requestsDuring(
  reg: TestRegistry,
  fn: () => Promise<unknown>,
): Promise<LoggedRequest[]> {
  const start = reg.requestLog().length;
  await fn();
  const sentinel = `/v2/sentinel-${crypto.randomUUID().slice(0, 8)}/tags/list`;
  const response = await fetch(`${reg.url}${sentinel}`);
  await response.body?.cancel();
  for (let i = 0; i < 200 && !reg.requestLog().includes(`GET ${sentinel} `); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const log = reg.requestLog().slice(start);
  assert.ok(log.includes(`GET ${sentinel} `), "the sentinel request reached the log");
  return [...log.matchAll(ACCESS_LINE)]
    .map((m) => ({ method: m[1]!, path: m[2]!, status: Number(m[3]) }))
    .filter((r) => r.path !== sentinel);
}

/** The requests that change the registry (uploads, manifest pushes, deletes). */
export function writes(requests: readonly LoggedRequest[]): LoggedRequest[] {
  return requests.filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method));
}

/** Unpacks a tar+gzip file with the system's plain `tar -xzf` into `dir`. */
export async function untar(path: string, dir: string): Promise<void> {
  const result = await run("tar", ["-xzf", path, "-C", dir]);
  assert.equal(result.code, 0, result.stderr);
}

/** `diff -r --no-dereference` of two trees; fails the test with the diff when they differ. */
export async function assertSameTree(actual: string, expected: string): Promise<void> {
  const result = await run("diff", ["-r", "--no-dereference", actual, expected]);
  assert.equal(result.code, 0, `trees differ:\n${result.stdout}${result.stderr}`);
}

/** What one spawned run produced. */
export interface SpawnedRun {
  code: number;
  stdout: string;
  stderr: string;
}

const PUBLISH_TOOL = new URL("../../scripts/publish_extension.ts", import.meta.url).pathname;

/**
 * Spawns the publishing tool as a user runs it (`deno run scripts/publish_extension.ts`),
 * with a clean environment (`PATH`, `DENO_DIR`, `HOME`, `NO_COLOR` and `env`) and no stdin.
 */
export async function runPublishTool(
  args: readonly string[],
  options: { home: string; env?: Record<string, string> },
): Promise<SpawnedRun> {
  const env: Record<string, string> = { NO_COLOR: "1", HOME: options.home, ...options.env };
  for (const name of ["PATH", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  const home = Deno.env.get("HOME");
  if (env.DENO_DIR === undefined && home !== undefined) {
    env.DENO_DIR = `${Deno.env.get("XDG_CACHE_HOME") ?? `${home}/.cache`}/deno`;
  }
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net",
      PUBLISH_TOOL,
      ...args,
    ],
    cwd: options.home,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
