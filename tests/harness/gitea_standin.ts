/**
 * A Gitea stand-in for the `gitea` source's tests.
 *
 * NO Gitea or Forgejo server can be installed on these machines, so this `Deno.serve` server
 * answers the few documented Gitea API v1 endpoints the client uses, with Gitea's response
 * shapes, backed by REAL bare git repositories (`{root}/{owner}/{repo}.git`, read with
 * `git for-each-ref`, `git rev-parse`, `git cat-file` and `git archive`):
 *
 * - `GET /api/v1/orgs/{org}/repos?page=&limit=` — `Repository` objects, paginated with
 *   `X-Total-Count` and `Link` (`next`, `last`, `first`, `prev`), `limit` capped like
 *   `MAX_RESPONSE_ITEMS` (50), default 30;
 * - `GET /api/v1/users/{user}/repos` — always 404 (the stand-in knows organisations only);
 * - `GET /api/v1/repos/{owner}/{repo}`;
 * - `GET /api/v1/repos/{owner}/{repo}/tags?page=&limit=` and `…/tags/{tag}` — `Tag` objects
 *   (`name`, `message`, `id`, `commit.sha`, …), newest first;
 * - `GET /api/v1/repos/{owner}/{repo}/archive/{ref}.tar.gz` —
 *   `git archive --format=tar.gz --prefix={repo}/ REF`, as Gitea does;
 * - `GET /api/v1/repos/{owner}/{repo}/raw/{filepath}?ref=` — `git cat-file blob REF:PATH`.
 *
 * With `token` set, a request carrying another `Authorization` gets 401 (as Gitea answers a
 * bad token) and a request without one sees no organisation at all (404, as Gitea hides
 * private ones). Unknown organisations, repositories, tags and files get 404 with Gitea's
 * JSON error shape (`{"errors": [...], "message": "The target couldn't be found.", "url": …}`).
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
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request, in order. */
  requests: StandinRequest[];
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
  const pending = new Set<Promise<unknown>>();
  const maxPageSize = options.maxPageSize ?? 50;
  let origin = "";

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

  async function isDir(path: string): Promise<boolean> {
    try {
      return (await Deno.stat(path)).isDirectory;
    } catch {
      return false;
    }
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

  function paginate<T>(url: URL, items: T[]): Response {
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
    if (links.length > 0) headers.Link = links.join(",");
    return json(items.slice((page - 1) * limit, page * limit), 200, headers);
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const authorization = request.headers.get("authorization");
    requests.push({ method: request.method, path: `${url.pathname}${url.search}`, authorization });
    await request.body?.cancel();
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
    const visible = options.token === undefined || authorization !== null;
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (parts[0] !== "api" || parts[1] !== "v1") return notFound("not an API route");
    const [kind, owner = "", second = "", third, ...rest] = parts.slice(2);

    if (kind === "users" && third === undefined && second === "repos") {
      return notFound(`user redirect does not exist [name: ${owner}]`);
    }
    const ownerOk = NAME.test(owner) && visible && await isDir(`${options.root}/${owner}`);
    if (kind === "orgs" && second === "repos" && third === undefined) {
      if (!ownerOk) return notFound(`GetOrgByName: org does not exist [name: ${owner}]`);
      const names = await listRepos(owner);
      return paginate(
        url,
        await Promise.all(names.map((name, i) => repository(owner, name, i + 1))),
      );
    }
    if (kind !== "repos") return notFound("no such route");
    const repo = second;
    const gitDir = `${options.root}/${owner}/${repo}.git`;
    if (!ownerOk || !NAME.test(repo) || !await isDir(gitDir)) {
      return notFound(
        `repository does not exist [id: 0, uid: 0, owner_name: ${owner}, name: ${repo}]`,
      );
    }
    if (third === undefined) return json(await repository(owner, repo, 1));

    if (third === "tags") {
      if (rest.length === 0) {
        return paginate(url, (await tags(gitDir)).map((tag) => tagJson(owner, repo, tag)));
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
      const child = new Deno.Command("git", {
        args: [
          `--git-dir=${gitDir}`,
          "archive",
          "--format=tar.gz",
          `--prefix=${repo.toLowerCase()}/`,
          commit,
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      pending.add(child.status);
      child.status.finally(() => pending.delete(child.status));
      return new Response(child.stdout, {
        headers: {
          "Content-Type": "application/octet-stream",
          "Content-Disposition": `attachment; filename="${repo}-${ref}.tar.gz"`,
        },
      });
    }
    return notFound("no such route");
  }

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handle);
  origin = `http://127.0.0.1:${server.addr.port}`;
  let closed: Promise<void> | undefined;
  return {
    url: origin,
    requests,
    close: () =>
      closed ??= (async () => {
        await server.shutdown();
        await Promise.allSettled([...pending]);
      })(),
  };
}
