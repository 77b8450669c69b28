/**
 * Real git servers for the git source's integration tests, on 127.0.0.1.
 *
 * - {@linkcode createGitFixture} builds bare repositories with tagged extension versions
 *   (annotated and lightweight tags, a `v` prefix, a tag whose tree has no `extension.yaml`,
 *   a non-semver tag, an extension in a sub-directory) and can move a tag.
 * - {@linkcode startGitDaemon} serves them with `git daemon` (the git protocol).
 * - {@linkcode startGitHttpServer} serves them over smart HTTP: `git http-backend` (CGI)
 *   behind a small `Deno.serve` wrapper, optionally with Basic auth.
 *
 * Everything is real git; nothing is simulated.
 *
 * @module
 */

/** Environment for every git the harness runs: no user or system config, fixed identity. */
const HARNESS_GIT_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_TERMINAL_PROMPT: "0",
  GIT_AUTHOR_NAME: "Fixture",
  GIT_AUTHOR_EMAIL: "fixture@example.invalid",
  GIT_COMMITTER_NAME: "Fixture",
  GIT_COMMITTER_EMAIL: "fixture@example.invalid",
  LC_ALL: "C",
};

/**
 * Runs git for the harness and returns its standard output; throws on a non-zero exit.
 *
 * @param args Arguments after `git`.
 * @param options Working directory and extra environment.
 * @returns Standard output, trimmed.
 */
export async function harnessGit(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const output = await new Deno.Command("git", {
    args: [...args],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...HARNESS_GIT_ENV, ...options.env },
    stdin: "null",
  }).output();
  const text = new TextDecoder();
  if (!output.success) {
    throw new Error(`git ${args.join(" ")} failed: ${text.decode(output.stderr).trim()}`);
  }
  return text.decode(output.stdout).trim();
}

/**
 * The `extension.yaml` the fixtures write.
 *
 * @param name Extension name.
 * @param version Extension version.
 * @returns The manifest text.
 */
export function fixtureManifest(name: string, version: string): string {
  return [
    "extension:",
    `  name: ${name}`,
    `  version: ${version}`,
    "  type: taskserv",
    `  description: Fixture extension ${name} ${version}`,
    "",
  ].join("\n");
}

/** One tag of a fixture repository as created. */
export interface FixtureTag {
  /** Commit the tag points at (peeled). */
  commit: string;
  /** Whether the tag is annotated. */
  annotated: boolean;
  /** Whether the tree at the tag has `extension.yaml` (at the repository's sub-path). */
  hasManifest: boolean;
}

/** One fixture repository. */
export interface FixtureRepo {
  /** Repository name (`demo`); the bare repository is `{name}.git`. */
  name: string;
  /** Path relative to the served directory (`exts/demo.git`). */
  path: string;
  /** The bare repository. */
  bareDir: string;
  /** The working repository the bare one was cloned from (and moved tags are pushed from). */
  workDir: string;
  /** Directory of `extension.yaml` inside the repository (`""` for the root). */
  subpath: string;
  /** Tags by name. */
  tags: Record<string, FixtureTag>;
}

/** The fixture repositories and what can be done with them. */
export interface GitFixture {
  /** Temp directory holding everything. */
  root: string;
  /** Directory the servers export (`git daemon --base-path`, `GIT_PROJECT_ROOT`). */
  baseDir: string;
  /** Owner / organisation directory name under `baseDir`. */
  owner: string;
  /**
   * `demo`: tags `0.1.0` (lightweight, no `extension.yaml`), `1.0.0` (annotated), `1.1.0`
   * (lightweight), `v1.2.0` (annotated, `v` prefix), `v2.0.0` (lightweight), `latest`
   * (lightweight, same commit as `v2.0.0`) and `nightly` (annotated, not semver).
   * `mono`: `extensions/demo/extension.yaml`, tag `1.0.0`.
   * `ext-01`…: one annotated tag `1.0.0` each (for pagination).
   */
  repos: Record<string, FixtureRepo>;
  /**
   * Moves a tag of a repository to a new commit (whose manifest says `version`) and pushes it
   * to the bare repository, keeping the tag annotated or lightweight as it was.
   *
   * @returns The new commit.
   */
  moveTag(repo: string, tag: string, version: string): Promise<string>;
  /** Removes the temp directory. */
  cleanup(): Promise<void>;
}

/** Options of {@linkcode createGitFixture}. */
export interface GitFixtureOptions {
  /** Owner directory under the served directory. Default `exts`. */
  owner?: string;
  /** How many extra one-tag repositories `ext-01`… to create. Default 0. */
  extraRepos?: number;
}

/**
 * Creates the fixture repositories in a new temp directory (see {@linkcode GitFixture.repos}).
 *
 * @example
 * ```ts ignore
 * const fixture = await createGitFixture();
 * try {
 *   console.log(fixture.repos.demo!.tags["1.0.0"]!.commit);
 * } finally {
 *   await fixture.cleanup();
 * }
 * ```
 *
 * @param options Owner directory and extra repositories.
 * @returns The fixture.
 */
export async function createGitFixture(options: GitFixtureOptions = {}): Promise<GitFixture> {
  const root = await Deno.makeTempDir({ prefix: "git-fixture-" });
  const owner = options.owner ?? "exts";
  const baseDir = `${root}/srv`;
  await Deno.mkdir(`${baseDir}/${owner}`, { recursive: true });
  await Deno.mkdir(`${root}/work`);
  let clock = 1_700_000_000;
  const tick = () => {
    clock += 60;
    return { GIT_AUTHOR_DATE: `@${clock} +0000`, GIT_COMMITTER_DATE: `@${clock} +0000` };
  };
  const repos: Record<string, FixtureRepo> = {};

  async function commit(workDir: string, files: Record<string, string | null>, message: string) {
    for (const [path, content] of Object.entries(files)) {
      const full = `${workDir}/${path}`;
      if (content === null) {
        await Deno.remove(full).catch(() => {});
        continue;
      }
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    }
    await harnessGit(["add", "-A"], { cwd: workDir });
    await harnessGit(["commit", "--quiet", "--allow-empty", "-m", message], {
      cwd: workDir,
      env: tick(),
    });
    return await harnessGit(["rev-parse", "HEAD"], { cwd: workDir });
  }

  async function tag(repo: FixtureRepo, name: string, annotated: boolean, hasManifest: boolean) {
    const args = annotated ? ["tag", "-a", "-m", `Release ${name}`, name] : ["tag", name];
    await harnessGit(args, { cwd: repo.workDir, env: tick() });
    const sha = await harnessGit(["rev-parse", `${name}^{commit}`], { cwd: repo.workDir });
    repo.tags[name] = { commit: sha, annotated, hasManifest };
  }

  async function newRepo(name: string, subpath: string): Promise<FixtureRepo> {
    const workDir = `${root}/work/${name}`;
    await harnessGit(["init", "--quiet", "-b", "main", workDir]);
    const repo: FixtureRepo = {
      name,
      path: `${owner}/${name}.git`,
      bareDir: `${baseDir}/${owner}/${name}.git`,
      workDir,
      subpath,
      tags: {},
    };
    repos[name] = repo;
    return repo;
  }

  async function publish(repo: FixtureRepo) {
    await harnessGit(["clone", "--quiet", "--bare", repo.workDir, repo.bareDir]);
    await Deno.writeTextFile(`${repo.bareDir}/description`, `Fixture repository ${repo.name}\n`);
  }

  const demo = await newRepo("demo", "");
  await commit(demo.workDir, { "README.md": "# demo\n" }, "Start without a manifest");
  await tag(demo, "0.1.0", false, false);
  await commit(demo.workDir, {
    "extension.yaml": fixtureManifest("demo", "1.0.0"),
    "kcl/main.k": 'name = "demo"\n',
  }, "Release 1.0.0");
  await tag(demo, "1.0.0", true, true);
  await commit(demo.workDir, { "extension.yaml": fixtureManifest("demo", "1.1.0") }, "1.1.0");
  await tag(demo, "1.1.0", false, true);
  await commit(demo.workDir, { "extension.yaml": fixtureManifest("demo", "1.2.0") }, "1.2.0");
  await tag(demo, "v1.2.0", true, true);
  await commit(demo.workDir, {
    "extension.yaml": fixtureManifest("demo", "2.0.0"),
    "scripts/install.sh": "#!/bin/sh\necho install\n",
  }, "2.0.0");
  await tag(demo, "v2.0.0", false, true);
  await tag(demo, "latest", false, true);
  await tag(demo, "nightly", true, true);
  await publish(demo);

  const mono = await newRepo("mono", "extensions/demo");
  await commit(mono.workDir, {
    "README.md": "# monorepo\n",
    "extensions/demo/extension.yaml": fixtureManifest("demo", "1.0.0"),
    "extensions/demo/kcl/main.k": 'name = "demo"\n',
  }, "Monorepo 1.0.0");
  await tag(mono, "1.0.0", true, true);
  await publish(mono);

  for (let i = 1; i <= (options.extraRepos ?? 0); i++) {
    const name = `ext-${String(i).padStart(2, "0")}`;
    const repo = await newRepo(name, "");
    await commit(repo.workDir, { "extension.yaml": fixtureManifest(name, "1.0.0") }, "1.0.0");
    await tag(repo, "1.0.0", true, true);
    await publish(repo);
  }

  return {
    root,
    baseDir,
    owner,
    repos,
    async moveTag(repoName, tagName, version) {
      const repo = repos[repoName];
      const old = repo?.tags[tagName];
      if (repo === undefined || old === undefined) {
        throw new Error(`No fixture tag ${repoName}:${tagName}`);
      }
      const manifestPath = repo.subpath === ""
        ? "extension.yaml"
        : `${repo.subpath}/extension.yaml`;
      await commit(repo.workDir, {
        [manifestPath]: fixtureManifest(repoName, version),
        "MOVED": `${tagName} moved\n`,
      }, `Move ${tagName}`);
      const args = old.annotated
        ? ["tag", "-f", "-a", "-m", `Moved ${tagName}`, tagName]
        : ["tag", "-f", tagName];
      await harnessGit(args, { cwd: repo.workDir, env: tick() });
      await harnessGit(["push", "--quiet", "--force", repo.bareDir, `refs/tags/${tagName}`], {
        cwd: repo.workDir,
      });
      const sha = await harnessGit(["rev-parse", `${tagName}^{commit}`], { cwd: repo.workDir });
      repo.tags[tagName] = { ...old, commit: sha, hasManifest: true };
      return sha;
    },
    async cleanup() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
 *
 * @returns The port.
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A running `git daemon`. */
export interface GitDaemon {
  /** `git://127.0.0.1:PORT` (append `/{owner}/{name}.git`). */
  url: string;
  port: number;
  /** Its log so far (`--verbose`). */
  log(): string;
  /** SIGTERM, wait, idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `git daemon --reuseaddr --listen=127.0.0.1 --port=P --base-path=DIR --export-all`
 * on a free port, waiting for its "Ready to rumble" line; retries on a port collision.
 *
 * @example
 * ```ts ignore
 * const daemon = await startGitDaemon(fixture.baseDir);
 * try {
 *   // git ls-remote `${daemon.url}/exts/demo.git`
 * } finally {
 *   await daemon.stop();
 * }
 * ```
 *
 * @param baseDir The directory to export.
 * @returns The running daemon.
 */
export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  let lastLog = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    const child = new Deno.Command("git", {
      args: [
        "daemon",
        "--reuseaddr",
        "--listen=127.0.0.1",
        `--port=${port}`,
        `--base-path=${baseDir}`,
        "--export-all",
        "--verbose",
      ],
      env: HARNESS_GIT_ENV,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let log = "";
    let readyResolve!: (ready: boolean) => void;
    const ready = new Promise<boolean>((resolve) => readyResolve = resolve);
    const drained = (async () => {
      for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
        log += chunk;
        if (log.includes("Ready to rumble")) readyResolve(true);
      }
      readyResolve(false);
    })();
    const timer = setTimeout(() => readyResolve(false), 10_000);
    const ok = await ready;
    clearTimeout(timer);
    let stopped: Promise<void> | undefined;
    const stop = () =>
      stopped ??= (async () => {
        try {
          child.kill("SIGTERM");
        } catch { /* already exited */ }
        await child.status;
        await drained;
      })();
    if (ok) {
      return { url: `git://127.0.0.1:${port}`, port, log: () => log, stop };
    }
    await stop();
    lastLog = log;
  }
  throw new Error(`git daemon did not start: ${lastLog.trim()}`);
}

/** A running smart-HTTP git server. */
export interface GitHttpServer {
  /** `http://127.0.0.1:PORT` (append `/{owner}/{name}.git`). */
  url: string;
  port: number;
  /** Requests received (`METHOD /path?query`), in order. */
  requests: string[];
  /** Shuts the server down and waits for every `git http-backend` it started. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@linkcode startGitHttpServer}. */
export interface GitHttpServerOptions {
  /** Require HTTP Basic auth with these credentials. */
  auth?: { username: string; password: string };
}

/**
 * Serves `baseDir` over git's smart HTTP protocol: each request runs `git http-backend` as a
 * CGI program (`GIT_PROJECT_ROOT`, `GIT_HTTP_EXPORT_ALL`, `PATH_INFO`, `QUERY_STRING`,
 * `REQUEST_METHOD`, `CONTENT_TYPE`, …), the request body streamed to its standard input and
 * the CGI headers parsed from its standard output.
 *
 * @example
 * ```ts ignore
 * const server = await startGitHttpServer(fixture.baseDir, {
 *   auth: { username: "alice", password: "s3cret" },
 * });
 * try {
 *   // git ls-remote `http://alice:s3cret@127.0.0.1:${server.port}/exts/demo.git`
 * } finally {
 *   await server.close();
 * }
 * ```
 *
 * @param baseDir The directory to export.
 * @param options Optional Basic auth.
 * @returns The running server.
 */
export function startGitHttpServer(
  baseDir: string,
  options: GitHttpServerOptions = {},
): Promise<GitHttpServer> {
  const children = new Set<Promise<unknown>>();
  const requests: string[] = [];
  const expectedAuth = options.auth === undefined
    ? undefined
    : `Basic ${btoa(`${options.auth.username}:${options.auth.password}`)}`;

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    if (expectedAuth !== undefined && request.headers.get("authorization") !== expectedAuth) {
      await request.body?.cancel();
      return new Response("Authentication required\n", {
        status: 401,
        headers: { "WWW-Authenticate": 'Basic realm="git"' },
      });
    }
    const env: Record<string, string> = {
      ...HARNESS_GIT_ENV,
      GIT_PROJECT_ROOT: baseDir,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method,
      CONTENT_TYPE: request.headers.get("content-type") ?? "",
      REMOTE_ADDR: "127.0.0.1",
    };
    if (options.auth !== undefined) env.REMOTE_USER = options.auth.username;
    const length = request.headers.get("content-length");
    if (length !== null) env.CONTENT_LENGTH = length;
    const protocol = request.headers.get("git-protocol");
    if (protocol !== null) env.HTTP_GIT_PROTOCOL = protocol;
    const encoding = request.headers.get("content-encoding");
    if (encoding !== null) env.HTTP_CONTENT_ENCODING = encoding;

    const child = new Deno.Command("git", {
      args: ["http-backend"],
      env,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stdinDone = request.body === null
      ? child.stdin.close()
      : request.body.pipeTo(child.stdin).catch(() => {});
    const stderr = new Response(child.stderr).text();
    const done = Promise.allSettled([child.status, stdinDone, stderr]);
    children.add(done);
    done.then(() => children.delete(done));

    const reader = child.stdout.getReader();
    let buffered = new Uint8Array(0);
    let split: { end: number; skip: number } | undefined;
    while (split === undefined) {
      const { done: eof, value } = await reader.read();
      if (eof) break;
      const joined = new Uint8Array(buffered.length + value.length);
      joined.set(buffered);
      joined.set(value, buffered.length);
      buffered = joined;
      split = findHeaderEnd(buffered);
    }
    if (split === undefined) {
      reader.releaseLock();
      return new Response(`git http-backend failed: ${await stderr}`, { status: 500 });
    }
    const head = new TextDecoder().decode(buffered.subarray(0, split.end));
    const rest = buffered.subarray(split.end + split.skip);
    let status = 200;
    const headers = new Headers();
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
      else headers.append(name, value);
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (rest.length > 0) controller.enqueue(rest);
      },
      async pull(controller) {
        const { done: eof, value } = await reader.read();
        if (eof) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(status === 204 || status === 304 ? null : body, { status, headers });
  }

  return new Promise((resolve) => {
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      handle,
    );
    const { port } = server.addr;
    let closed: Promise<void> | undefined;
    resolve({
      url: `http://127.0.0.1:${port}`,
      port,
      requests,
      close: () =>
        closed ??= (async () => {
          await server.shutdown();
          await Promise.all([...children]);
        })(),
    });
  });
}

function findHeaderEnd(bytes: Uint8Array): { end: number; skip: number } | undefined {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 10) continue; // "\n"
    if (bytes[i + 1] === 10) return { end: i, skip: 2 };
    if (bytes[i + 1] === 13 && bytes[i + 2] === 10) return { end: i, skip: 3 };
  }
  return undefined;
}
