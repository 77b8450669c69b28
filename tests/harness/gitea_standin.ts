/**
 * A Gitea stand-in for the `gitea` source's tests.
 *
 * NO Gitea or Forgejo server can be installed on these machines, so this `Deno.serve` server
 * answers the few Gitea API v1 endpoints the client uses, with Gitea's response shapes,
 * backed by REAL bare git repositories (`{root}/{owner}/{repo}.git`, read with
 * `git for-each-ref`, `git rev-parse`, `git cat-file` and `git archive`). Where Gitea's
 * behaviour differs from its documentation, the stand-in does what Gitea's source does
 * (go-gitea/gitea, read at 1.20 and main; the file each behaviour comes from is named):
 *
 * - `GET /api/v1/orgs/{org}/repos` and `GET /api/v1/users/{user}/repos` — `Repository`
 *   objects paginated with `X-Total-Count` and `Link` (`next`, `last`, `first`, `prev`),
 *   `limit` capped like `MAX_RESPONSE_ITEMS` (50), default 30
 *   (`routers/api/v1/user/repo.go`, `listUserRepos`). Only repositories the caller may see
 *   are listed: an anonymous caller of a private organisation gets `200 []`, not 404
 *   (same file). `/users/{name}/repos` answers for organisations too (an organisation is a
 *   user); `/orgs/{user}/repos` is 404 for a user named in `users`.
 * - Token scopes (`routers/api/v1/api.go`, `tokenRequiresScopes`): `/orgs/…` needs
 *   `read:organization`, `/users/…` `read:user`, `/repos/…` `read:repository`, checked
 *   BEFORE the owner is looked up — a user's namespace answers 403, not 404, to a token
 *   without `read:organization`.
 * - Per-repository unit permissions (`routers/api/v1/api.go`, `reqRepoReader(unit.TypeCode)`;
 *   `services/convert/repository.go`, `ToRepo`): since Gitea 1.22 (PR #30817) an
 *   organisation lists repositories the caller has any unit access to; for one in
 *   `noCodeAccess` the object says `permissions.pull: false`, for one in `codeDisabled`
 *   `has_code: false`, and its tags, raw files and archives answer 403.
 * - Names (`routers/api/v1/api.go`, `repoAssignment`, which looks owners and repositories up
 *   by their lower-case name): `/repos/exts/NGINX` finds `exts/Nginx`; objects carry the
 *   stored spelling.
 * - `GET /api/v1/repos/{owner}/{repo}/tags` — `Tag` objects (`name`, `message`, `id`,
 *   `commit.sha`, …), newest first, with `X-Total-Count` and NO `Link` header
 *   (`routers/api/v1/repo/tag.go`, `ListTags`); `…/tags/{tag}` one tag.
 * - `GET /api/v1/repos/{owner}/{repo}/archive/{ref}.tar.gz` —
 *   `git archive --format=tar.gz --prefix={lower-case repo}/ REF`
 *   (`services/repository/archiver/archiver.go`). With `serveDirect` (Gitea's
 *   `[storage.repo-archive] SERVE_DIRECT = true`) the answer is a 303 to a signed URL on a
 *   second server standing in for the object storage, which serves the bytes (same file,
 *   and the archive download that redirects to `ServeDirect` storage URLs).
 * - `GET /api/v1/repos/{owner}/{repo}/raw/{filepath}?ref=` — `git cat-file blob REF:PATH`.
 * - `GET /api/v1/repos/{owner}/{repo}`.
 *
 * With `token` set, a request carrying another `Authorization` gets 401 (as Gitea answers a
 * bad token), and every repository is private: an anonymous request sees none of them.
 * Unknown organisations, repositories, tags and files get 404 with Gitea's JSON error shape
 * (`{"errors": [...], "message": "The target couldn't be found.", "url": …}`).
 *
 * @module
 */

import { harnessGit } from "./git_server.ts";

/** A request the stand-in received. */
export interface StandinRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** The `Authorization` header, if any. */
  authorization: string | null;
}

/** A running stand-in. */
export interface GiteaStandin {
  /** `http://127.0.0.1:PORT` (`https://` with `tls`). */
  url: string;
  /** Every request, in order. */
  requests: StandinRequest[];
  /** With `serveDirect`: the object-storage stand-in (`http://127.0.0.1:PORT`). */
  storageUrl?: string;
  /** With `serveDirect`: every request the object storage received, in order. */
  storageRequests: StandinRequest[];
  /** Shuts down and waits for every git it started. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@linkcode startGiteaStandin}. */
export interface GiteaStandinOptions {
  /** Directory holding `{owner}/{repo}.git` bare repositories; every owner is an organisation. */
  root: string;
  /** When set, the API token the server accepts. */
  token?: string;
  /** Cap on `limit` (Gitea's `MAX_RESPONSE_ITEMS`). Default 50. */
  maxPageSize?: number;
  /** Scopes of `token` (`read:repository`, …). Default: every scope. */
  tokenScopes?: string[];
  /** Owners that are users, not organisations. */
  users?: string[];
  /** `owner/repo` the caller may see but whose code it may not read (`permissions.pull` false). */
  noCodeAccess?: string[];
  /** `owner/repo` whose code unit is disabled (`has_code` false). */
  codeDisabled?: string[];
  /** Answer archive requests with a 303 to an object-storage stand-in (`SERVE_DIRECT`). */
  serveDirect?: boolean;
  /** Serve HTTPS with this certificate and key (PEM text); `url` is then `https://…`. */
  tls?: { cert: string; key: string };
  /** Answer the first this many requests 503, as a Gitea restarting behind its proxy does. */
  failFirst?: number;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Starts the stand-in on 127.0.0.1, port 0.
 *
 * @example
 * ```ts ignore
 * const fixture = await createGitFixture({ owner: "exts" });
 * const gitea = await startGiteaStandin({ root: fixture.baseDir, token: "T" });
 * try {
 *   const res = await fetch(`${gitea.url}/api/v1/orgs/exts/repos`, {
 *     headers: { Authorization: "token T" },
 *   });
 *   console.log(await res.json());
 * } finally {
 *   await gitea.close();
 * }
 * ```
 *
 * @param options Repository root, token, page-size cap.
 * @returns The running stand-in.
 */
export function startGiteaStandin(options: GiteaStandinOptions): GiteaStandin {
  const requests: StandinRequest[] = [];
  const storageRequests: StandinRequest[] = [];
  const pending = new Set<Promise<unknown>>();
  const maxPageSize = options.maxPageSize ?? 50;
  const lower = (names: readonly string[] = []) => new Set(names.map((n) => n.toLowerCase()));
  const users = lower(options.users);
  const noCodeAccess = lower(options.noCodeAccess);
  const codeDisabled = lower(options.codeDisabled);
  const scopes = options.tokenScopes === undefined ? undefined : new Set(options.tokenScopes);
  /** Signed object-storage paths → what to archive. */
  const signed = new Map<string, { gitDir: string; commit: string; prefix: string }>();
  let origin = "";
  let storageOrigin = "";

  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json;charset=utf-8", ...headers },
    });
  const notFound = (what: string) =>
    json({
      errors: [what],
      message: "The target couldn't be found.",
      url: `${origin}/api/swagger`,
    }, 404);
  const forbidden = (message: string) => json({ message, url: `${origin}/api/swagger` }, 403);

  async function isDir(path: string): Promise<boolean> {
    try {
      return (await Deno.stat(path)).isDirectory;
    } catch {
      return false;
    }
  }

  /** The stored spelling of a name in `dir` (`suffix` `.git` for repositories), any case. */
  async function stored(dir: string, name: string, suffix = ""): Promise<string | undefined> {
    if (!NAME.test(name) || !await isDir(dir)) return undefined;
    for await (const entry of Deno.readDir(dir)) {
      if (
        entry.isDirectory && entry.name.endsWith(suffix) &&
        entry.name.slice(0, entry.name.length - suffix.length).toLowerCase() ===
          name.toLowerCase()
      ) {
        return entry.name.slice(0, entry.name.length - suffix.length);
      }
    }
    return undefined;
  }

  async function git(gitDir: string, args: string[]): Promise<string | undefined> {
    const run = harnessGit([`--git-dir=${gitDir}`, ...args]).catch(() => undefined);
    pending.add(run);
    run.finally(() => pending.delete(run));
    return await run;
  }

  async function listRepos(owner: string): Promise<string[]> {
    const names: string[] = [];
    for await (const entry of Deno.readDir(`${options.root}/${owner}`)) {
      if (entry.isDirectory && entry.name.endsWith(".git")) names.push(entry.name.slice(0, -4));
    }
    return names.sort();
  }

  async function repository(owner: string, name: string, id: number) {
    const gitDir = `${options.root}/${owner}/${name}.git`;
    const head = await git(gitDir, ["symbolic-ref", "--short", "HEAD"]);
    const hasCommits =
      (await git(gitDir, ["rev-parse", "--verify", "--quiet", "HEAD"])) !== undefined;
    const description = await Deno.readTextFile(`${gitDir}/description`).catch(() => "");
    const key = `${owner}/${name}`.toLowerCase();
    return {
      id,
      owner: { id: 1, login: owner, username: owner },
      name,
      full_name: `${owner}/${name}`,
      description: description.startsWith("Unnamed repository") ? "" : description.trim(),
      empty: !hasCommits,
      private: options.token !== undefined,
      fork: false,
      template: false,
      mirror: false,
      archived: false,
      has_code: !codeDisabled.has(key),
      has_issues: true,
      permissions: { admin: false, push: false, pull: !noCodeAccess.has(key) },
      html_url: `${origin}/${owner}/${name}`,
      clone_url: `${origin}/${owner}/${name}.git`,
      default_branch: head ?? "main",
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
    };
  }

  interface TagInfo {
    name: string;
    id: string;
    commit: string;
    message: string;
  }

  async function tags(gitDir: string, pattern = "refs/tags"): Promise<TagInfo[]> {
    const format = "%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(contents:subject)";
    const out = await git(gitDir, [
      "for-each-ref",
      "--sort=-creatordate",
      `--format=${format}`,
      pattern,
    ]);
    if (out === undefined || out === "") return [];
    return out.split("\n").map((line) => {
      const [name = "", id = "", peeled = "", message = ""] = line.split("\0");
      return { name, id, commit: peeled || id, message };
    });
  }

  function tagJson(owner: string, repo: string, tag: TagInfo) {
    return {
      name: tag.name,
      message: tag.message,
      id: tag.id,
      commit: {
        url: `${origin}/api/v1/repos/${owner}/${repo}/git/commits/${tag.commit}`,
        sha: tag.commit,
        created: "2024-01-01T00:00:00Z",
      },
      zipball_url: `${origin}/${owner}/${repo}/archive/${tag.name}.zip`,
      tarball_url: `${origin}/${owner}/${repo}/archive/${tag.name}.tar.gz`,
    };
  }

  /** One page; `Link` only when `withLink` (repository listings yes, tag listings no). */
  function paginate<T>(url: URL, items: T[], withLink: boolean): Response {
    const page = Math.max(1, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1);
    const asked = Number.parseInt(url.searchParams.get("limit") ?? "30", 10) || 30;
    const limit = Math.min(Math.max(1, asked), maxPageSize);
    const last = Math.max(1, Math.ceil(items.length / limit));
    const link = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set("page", String(n));
      target.searchParams.set("limit", String(limit));
      return `<${origin}${target.pathname}${target.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
    const headers: Record<string, string> = { "X-Total-Count": String(items.length) };
    if (withLink && links.length > 0) headers.Link = links.join(",");
    return json(items.slice((page - 1) * limit, page * limit), 200, headers);
  }

  function archiveResponse(gitDir: string, commit: string, prefix: string): Response {
    const child = new Deno.Command("git", {
      args: [`--git-dir=${gitDir}`, "archive", "--format=tar.gz", `--prefix=${prefix}/`, commit],
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    pending.add(child.status);
    child.status.finally(() => pending.delete(child.status));
    return new Response(child.stdout, {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="${prefix}-${commit}.tar.gz"`,
      },
    });
  }

  const scopeOf: Record<string, string> = {
    orgs: "read:organization",
    users: "read:user",
    repos: "read:repository",
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path: `${url.pathname}${url.search}`, authorization });
    await request.body?.cancel();
    if (requests.length <= (options.failFirst ?? 0)) {
      return new Response("<html>502/503 from the proxy</html>", { status: 503 });
    }
    if (request.method !== "GET") return json({ message: "Method not allowed" }, 405);
    if (options.token !== undefined && authorization !== null) {
      const [scheme = "", value = ""] = authorization.split(/\s+/, 2);
      if (!/^(token|bearer)$/i.test(scheme) || value !== options.token) {
        return json({
          message: "user does not exist [uid: 0, name: ]",
          url: `${origin}/api/swagger`,
        }, 401);
      }
    }
    const signedIn = options.token === undefined || authorization !== null;
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (parts[0] !== "api" || parts[1] !== "v1") return notFound("not an API route");
    const [kind = "", ownerAsked = "", second = "", third, ...rest] = parts.slice(2);

    // api.go: the token's scope is checked before the owner is looked up.
    const needed = scopeOf[kind];
    if (needed !== undefined && authorization !== null && scopes !== undefined) {
      if (!scopes.has(needed) && !scopes.has(needed.replace("read:", "write:"))) {
        return forbidden(
          `token does not have at least one of required scope(s), required=[${needed}], ` +
            `token scope=${[...scopes].join(",")}`,
        );
      }
    }
    const owner = await stored(options.root, ownerAsked);
    if ((kind === "orgs" || kind === "users") && second === "repos" && third === undefined) {
      const isUser = owner !== undefined && users.has(owner.toLowerCase());
      if (owner === undefined || (kind === "orgs" && isUser)) {
        return kind === "orgs"
          ? notFound(`GetOrgByName: org does not exist [name: ${ownerAsked}]`)
          : notFound(`user redirect does not exist [name: ${ownerAsked}]`);
      }
      // user/repo.go: private repositories are left out for a caller who may not see them.
      const names = signedIn ? await listRepos(owner) : [];
      return paginate(
        url,
        await Promise.all(names.map((name, i) => repository(owner, name, i + 1))),
        true,
      );
    }
    if (kind !== "repos") return notFound("no such route");
    const repo = owner === undefined
      ? undefined
      : await stored(`${options.root}/${owner}`, second, ".git");
    if (owner === undefined || repo === undefined || !signedIn) {
      return notFound(
        `repository does not exist [id: 0, uid: 0, owner_name: ${ownerAsked}, name: ${second}]`,
      );
    }
    const gitDir = `${options.root}/${owner}/${repo}.git`;
    if (third === undefined) return json(await repository(owner, repo, 1));
    const key = `${owner}/${repo}`.toLowerCase();
    if (noCodeAccess.has(key) || codeDisabled.has(key)) {
      return forbidden(
        "user should have specific permission or be a site admin",
      );
    }

    if (third === "tags") {
      if (rest.length === 0) {
        return paginate(url, (await tags(gitDir)).map((tag) => tagJson(owner, repo, tag)), false);
      }
      const name = rest.join("/");
      const [tag] = await tags(gitDir, `refs/tags/${name}`);
      if (tag === undefined || tag.name !== name) {
        return notFound(`tag does not exist [name: ${name}]`);
      }
      return json(tagJson(owner, repo, tag));
    }

    if (third === "raw" && rest.length > 0) {
      const ref = url.searchParams.get("ref") ?? "HEAD";
      const path = rest.join("/");
      const object = `${ref}:${path}`;
      if ((await git(gitDir, ["cat-file", "-t", object])) !== "blob") {
        return notFound(`object does not exist [id: ${ref}, rel_path: ${path}]`);
      }
      const blob = await new Deno.Command("git", {
        args: [`--git-dir=${gitDir}`, "cat-file", "blob", object],
        stdin: "null",
      }).output();
      return new Response(blob.stdout, {
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    }

    if (third === "archive" && rest.length > 0) {
      const archive = rest.join("/");
      if (!archive.endsWith(".tar.gz")) return json({ message: "Unknown archive format" }, 400);
      const ref = archive.slice(0, -".tar.gz".length);
      const commit = await git(gitDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
      if (commit === undefined || ref.startsWith("-")) return notFound(`unknown ref ${ref}`);
      const prefix = repo.toLowerCase();
      if (options.serveDirect === true) {
        const path = `/repo-archive/${crypto.randomUUID()}.tar.gz`;
        signed.set(path, { gitDir, commit, prefix });
        return new Response(null, {
          status: 303,
          headers: { Location: `${storageOrigin}${path}?X-Amz-Signature=${"0".repeat(64)}` },
        });
      }
      return archiveResponse(gitDir, commit, prefix);
    }
    return notFound("no such route");
  }

  /** The object storage: serves what a signed URL names, to anyone holding it. */
  function handleStorage(request: Request): Response {
    const url = new URL(request.url);
    storageRequests.push({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      authorization: request.headers.get("authorization"),
    });
    const target = signed.get(url.pathname);
    if (target === undefined || !url.searchParams.has("X-Amz-Signature")) {
      return new Response("<Error><Code>AccessDenied</Code></Error>", { status: 403 });
    }
    return archiveResponse(target.gitDir, target.commit, target.prefix);
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {}, ...options.tls },
    handle,
  );
  origin = `${options.tls === undefined ? "http" : "https"}://127.0.0.1:${server.addr.port}`;
  const storage = options.serveDirect === true
    ? Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handleStorage)
    : undefined;
  if (storage !== undefined) storageOrigin = `http://127.0.0.1:${storage.addr.port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    requests,
    ...(storage === undefined ? {} : { storageUrl: storageOrigin }),
    storageRequests,
    close: () =>
      closed ??= (async () => {
        await server.shutdown();
        await storage?.shutdown();
        await Promise.allSettled([...pending]);
      })(),
  };
}
