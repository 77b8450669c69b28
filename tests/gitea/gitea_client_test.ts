/**
 * The Gitea/Forgejo client against a STAND-IN: no Gitea or Forgejo server can be installed
 * on these machines, so `tests/harness/gitea_standin.ts` serves Gitea's documented API v1
 * shapes (paginated organisation repositories, tags, raw files, archives) backed by real
 * bare git repositories. The client is kept strictly to the documented API so it works
 * against a real Gitea. Faults a real server will not produce on demand (stalls, redirects
 * to plain HTTP, 500s) come from the fault server.
 */

import assert from "node:assert/strict";
import { isProvisioningError, type ProvisioningError } from "../../src/errors.ts";
import { createGiteaClient } from "../../src/gitea/mod.ts";
import { whileCollectingGarbage } from "../harness/collect_garbage.ts";
import { stall, stallBody, startFaultServer, status } from "../harness/fault_server.ts";
import { createGitFixture, freePort } from "../harness/git_server.ts";
import { startGiteaStandin } from "../harness/gitea_standin.ts";

const TOKEN = "gitea-T0ken-value";
const ORG = "exts";

async function caught(promise: Promise<unknown>): Promise<ProvisioningError> {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(isProvisioningError(error), `expected a ProvisioningError, got ${error}`);
  return error;
}

function visibleText(error: ProvisioningError): string {
  return [error.message, error.hint ?? "", ...error.details, String(error.stack)].join("\n");
}

/** Unpacks a tar+gzip stream with the system `tar`. */
async function extractWithTar(stream: ReadableStream<Uint8Array>, dir: string): Promise<void> {
  await Deno.writeFile(`${dir}.tar.gz`, stream);
  await Deno.mkdir(dir);
  const out = await new Deno.Command("tar", { args: ["-xzf", `${dir}.tar.gz`, "-C", dir] })
    .output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

Deno.test("gitea client against the Gitea stand-in (real bare repositories)", async (t) => {
  const fixture = await createGitFixture({ owner: ORG, extraRepos: 7 });
  const gitea = startGiteaStandin({ root: fixture.baseDir, token: TOKEN });
  const tmp = await Deno.makeTempDir({ prefix: "gitea-test-" });
  const client = createGiteaClient({
    url: gitea.url,
    organization: ORG,
    token: TOKEN,
    pageSize: 4,
  });
  const demo = fixture.repos.demo!;
  const allRepos = [
    "demo",
    "ext-01",
    "ext-02",
    "ext-03",
    "ext-04",
    "ext-05",
    "ext-06",
    "ext-07",
    "mono",
  ];
  try {
    await t.step("listRepositories() reads every page", async () => {
      gitea.requests.length = 0;
      const repos = await client.listRepositories();
      assert.deepEqual(repos.map((repo) => repo.name), allRepos);
      assert.equal(repos[0]!.fullName, `${ORG}/demo`);
      assert.equal(repos[0]!.description, "Fixture repository demo");
      assert.deepEqual(gitea.requests.map((request) => request.path), [
        `/api/v1/orgs/${ORG}/repos?page=1&limit=4`,
        `/api/v1/orgs/${ORG}/repos?page=2&limit=4`,
        `/api/v1/orgs/${ORG}/repos?page=3&limit=4`,
      ]);
    });

    await t.step("the token is sent as `Authorization: token …`", () => {
      assert.ok(gitea.requests.every((request) => request.authorization === `token ${TOKEN}`));
    });

    await t.step("listRepositories() follows the server's page cap via Link", async () => {
      const capped = startGiteaStandin({ root: fixture.baseDir, maxPageSize: 2 });
      try {
        const repos = await createGiteaClient({ url: capped.url, organization: ORG })
          .listRepositories();
        assert.deepEqual(repos.map((repo) => repo.name), allRepos);
        assert.equal(capped.requests.length, 5);
      } finally {
        await capped.close();
      }
    });

    await t.step("listTags() lists semver tags with their commits", async () => {
      const tags = await client.listTags("demo");
      assert.deepEqual(tags.map((tag) => [tag.tag, tag.version]), [
        ["0.1.0", "0.1.0"],
        ["1.0.0", "1.0.0"],
        ["1.1.0", "1.1.0"],
        ["v1.2.0", "1.2.0"],
        ["v2.0.0", "2.0.0"],
      ]);
      for (const tag of tags) assert.equal(tag.commit, demo.tags[tag.tag]!.commit, tag.tag);
    });

    await t.step("listAllTags() fans out with bounded concurrency", async () => {
      let inFlight = 0;
      let most = 0;
      const countingFetch: typeof fetch = async (input, init) => {
        inFlight++;
        most = Math.max(most, inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      };
      const limited = createGiteaClient({
        url: gitea.url,
        organization: ORG,
        token: TOKEN,
        concurrency: 2,
        fetch: countingFetch,
      });
      const all = await limited.listAllTags();
      assert.deepEqual(all.map((entry) => entry.repository.name), allRepos);
      assert.deepEqual(
        all.find((entry) => entry.repository.name === "ext-03")?.tags.map((t) => t.tag),
        [
          "1.0.0",
        ],
      );
      assert.ok(most <= 2, `at most 2 requests at once, saw ${most}`);
    });

    await t.step("resolveVersion() and resolveTag() pick tags and commits", async () => {
      assert.equal((await client.resolveVersion("demo", "^1.0.0")).tag, "v1.2.0");
      assert.equal((await client.resolveVersion("demo", "latest")).tag, "v2.0.0");
      assert.equal((await client.resolveTag("demo", "nightly")).commit, demo.tags.nightly!.commit);
      assert.equal(
        (await caught(client.resolveVersion("demo", "^4.0.0"))).code,
        "VERSION_NOT_FOUND",
      );
      assert.equal((await caught(client.resolveTag("demo", "4.0.0"))).code, "VERSION_NOT_FOUND");
    });

    await t.step(
      "readManifestText() reads extension.yaml at a ref without an archive",
      async () => {
        gitea.requests.length = 0;
        assert.match(await client.readManifestText("demo", "v1.2.0"), /version: 1\.2\.0\n/);
        assert.deepEqual(gitea.requests.map((request) => request.path), [
          "/api/v1/repos/exts/demo/raw/extension.yaml?ref=v1.2.0",
        ]);
      },
    );

    await t.step("openArchive() hands out a tar.gz under the repository folder", async () => {
      const fetched = await client.openArchive("demo", "1.0.0", {
        expectedCommit: demo.tags["1.0.0"]!.commit,
      });
      assert.equal(fetched.source, "gitea");
      assert.equal(fetched.commit, demo.tags["1.0.0"]!.commit);
      assert.equal(fetched.remote, `${gitea.url}/${ORG}/demo`);
      assert.equal(fetched.topLevelDirectory, "demo/");
      assert.equal(fetched.archive.mediaType, "application/gzip");
      assert.match(fetched.manifestText, /version: 1\.0\.0\n/);
      const archivePath = `/api/v1/repos/exts/demo/archive/${fetched.commit}.tar.gz`;
      assert.ok(
        !gitea.requests.some((request) => request.path === archivePath),
        "the archive is downloaded only when opened",
      );
      const dir = `${tmp}/demo-1.0.0`;
      await extractWithTar(await fetched.archive.open(), dir);
      assert.match(await Deno.readTextFile(`${dir}/demo/extension.yaml`), /version: 1\.0\.0\n/);
      assert.equal(await Deno.readTextFile(`${dir}/demo/kcl/main.k`), 'name = "demo"\n');
      assert.deepEqual([...Deno.readDirSync(dir)].map((entry) => entry.name), ["demo"]);
    });

    await t.step("openArchive() with a sub-path checks the manifest there", async () => {
      const mono = createGiteaClient({
        url: gitea.url,
        organization: ORG,
        token: TOKEN,
        subpath: "extensions/demo",
      });
      const fetched = await mono.openArchive("mono", "1.0.0");
      assert.equal(fetched.subpath, "extensions/demo");
      const dir = `${tmp}/mono-1.0.0`;
      await extractWithTar(await fetched.archive.open(), dir);
      assert.match(await Deno.readTextFile(`${dir}/mono/extensions/demo/extension.yaml`), /demo/);
    });

    await t.step("a tag without extension.yaml is INVALID_EXTENSION naming the path", async () => {
      const error = await caught(client.openArchive("demo", "0.1.0"));
      assert.equal(error.code, "INVALID_EXTENSION");
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /"extension\.yaml"/);
      assert.match(error.message, /Tag "0\.1\.0"/);
      assert.match(error.message, /exts\/demo/);
      const wrongPath = createGiteaClient({
        url: gitea.url,
        organization: ORG,
        token: TOKEN,
        subpath: "x/y",
      });
      const subpathError = await caught(wrongPath.readManifestText("demo", "1.0.0"));
      assert.equal(subpathError.code, "INVALID_EXTENSION");
      assert.match(subpathError.message, /"x\/y\/extension\.yaml"/);
    });

    await t.step(
      "unknown organisation, repository and tag are NOT_FOUND / VERSION_NOT_FOUND",
      async () => {
        const noOrg = createGiteaClient({ url: gitea.url, organization: "nobody", token: TOKEN });
        const orgError = await caught(noOrg.listRepositories());
        assert.equal(orgError.code, "NOT_FOUND");
        assert.equal(orgError.exitCode, 3);
        assert.match(orgError.message, /Organisation "nobody"/);
        for (
          const attempt of [
            () => client.listTags("missing"),
            () => client.readManifestText("missing", "1.0.0"),
            () => client.openArchive("missing", "1.0.0"),
          ]
        ) {
          const error = await caught(attempt());
          assert.equal(error.code, "NOT_FOUND");
          assert.match(error.message, /Repository "exts\/missing"/);
        }
        assert.equal((await caught(client.openArchive("demo", "9.9.9"))).code, "VERSION_NOT_FOUND");
      },
    );

    await t.step("a bad token is AUTH_REFUSED and never printed", async () => {
      const bad = createGiteaClient({ url: gitea.url, organization: ORG, token: "wrong-secret" });
      for (
        const attempt of [() => bad.listRepositories(), () => bad.openArchive("demo", "1.0.0")]
      ) {
        const error = await caught(attempt());
        assert.equal(error.code, "AUTH_REFUSED");
        assert.equal(error.exitCode, 4);
        assert.ok(!visibleText(error).includes("wrong-secret"), visibleText(error));
      }
    });

    await t.step(
      "without a token a private organisation lists as empty (200 [], as Gitea does), and its repositories are NOT_FOUND with a token hint",
      async () => {
        const anonymous = createGiteaClient({ url: gitea.url, organization: ORG });
        assert.equal(anonymous.authenticated, false);
        assert.deepEqual(await anonymous.listRepositories(), []);
        const error = await caught(anonymous.listTags("demo"));
        assert.equal(error.code, "NOT_FOUND");
        assert.match(error.hint ?? "", /token/);
      },
    );

    await t.step("a moved tag is refused with INTEGRITY naming both commits", async () => {
      const listed = (await client.listTags("demo")).find((tag) => tag.tag === "1.1.0")!;
      const moved = await fixture.moveTag("demo", "1.1.0", "9.9.9");
      const error = await caught(
        client.openArchive("demo", "1.1.0", { expectedCommit: listed.commit }),
      );
      assert.equal(error.code, "INTEGRITY");
      assert.equal(error.exitCode, 5);
      assert.ok(
        error.message.includes(listed.commit) && error.message.includes(moved),
        error.message,
      );
      const again = await client.openArchive("demo", "1.1.0", { expectedCommit: moved });
      assert.match(again.manifestText, /version: 9\.9\.9/);
    });
  } finally {
    await gitea.close();
    await fixture.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("gitea client refuses plain HTTP to a non-local host without connecting", async (t) => {
  const calls: string[] = [];
  const spy: typeof fetch = (input) => {
    calls.push(String(input));
    return Promise.reject(new Error("must not be called"));
  };
  for (
    const url of [
      "http://gitea.example.com",
      "http://10.0.0.1:3000",
      "http://127.0.0.1.example.com",
    ]
  ) {
    await t.step(url, () => {
      assert.throws(() => createGiteaClient({ url, organization: ORG, fetch: spy }), {
        code: "INSECURE_TRANSPORT",
      });
    });
  }
  await t.step("credentials in the URL are refused and redacted", () => {
    assert.throws(
      () =>
        createGiteaClient({
          url: "https://bob:pw-secret@git.example.com",
          organization: ORG,
          fetch: spy,
        }),
      (error: ProvisioningError) =>
        error.code === "INVALID_CONFIG" && !error.message.includes("pw-secret"),
    );
  });
  assert.deepEqual(calls, []);
});

Deno.test("gitea client maps transport faults", async (t) => {
  await t.step("a closed port is UNREACHABLE", async () => {
    const client = createGiteaClient({
      url: `http://127.0.0.1:${freePort()}`,
      organization: ORG,
      retryCount: 0,
    });
    const error = await caught(client.listRepositories());
    assert.equal(error.code, "UNREACHABLE");
    assert.equal(error.exitCode, 4);
  });

  let flakyCalls = 0;
  // Test-only faults: a real Gitea will not stall, fail or redirect to plain HTTP on demand.
  const server = await startFaultServer([
    { path: `/api/v1/orgs/stalls/repos`, respond: stall() },
    {
      path: `/api/v1/orgs/halfway/repos`,
      respond: stallBody('[{"name":"a', { "content-length": "1000" }),
    },
    { path: `/api/v1/orgs/fails/repos`, respond: status(500) },
    { path: `/api/v1/orgs/forbidden/repos`, respond: status(403) },
    // An older server: no `permissions` in the listing, 403 only when the tags are asked for.
    {
      path: /^\/api\/v1\/orgs\/units\/repos/,
      respond: () =>
        Response.json([{ name: "closed", full_name: "units/closed" }], {
          headers: { "X-Total-Count": "1" },
        }),
    },
    { path: /^\/api\/v1\/repos\/units\/closed\/tags/, respond: status(403) },
    {
      path: /^\/api\/v1\/orgs\/flaky\/repos/,
      respond: () =>
        ++flakyCalls < 3
          ? new Response("busy", { status: 503 })
          : Response.json([], { headers: { "X-Total-Count": "0" } }),
    },
    {
      path: /^\/api\/v1\/orgs\/redirects\/repos/,
      respond: () =>
        new Response(null, { status: 302, headers: { Location: "http://gitea.example.com/x" } }),
    },
    {
      path: /^\/api\/v1\/repos\/slow\/demo\/tags\/1\.0\.0$/,
      respond: () =>
        Response.json({ name: "1.0.0", id: "a".repeat(40), commit: { sha: "a".repeat(40) } }),
    },
    {
      path: /^\/api\/v1\/repos\/slow\/demo\/raw\//,
      respond: () => new Response("extension:\n  name: demo\n"),
    },
    { path: /^\/api\/v1\/repos\/slow\/demo\/archive\//, respond: stallBody("\x1f\x8b") },
  ]);
  try {
    const make = (organization: string) =>
      createGiteaClient({
        url: server.url,
        organization,
        timeoutMs: 300,
        token: TOKEN,
        retryCount: 0,
      });
    await t.step("no answer in time is a TIMEOUT", async () => {
      assert.equal((await caught(make("stalls").listRepositories())).code, "TIMEOUT");
    });
    await t.step(
      "a listing that stalls mid-body is a TIMEOUT, Response collected or not",
      async () => {
        const error = await caught(whileCollectingGarbage(make("halfway").listRepositories()));
        assert.equal(error.code, "TIMEOUT");
        assert.equal(error.exitCode, 4);
        assert.match(
          error.message,
          /^Gitea "127\.0\.0\.1:\d+" stopped sending the body of GET \/api\/v1\/orgs\/halfway\/repos for 0\.3 s \(11 of 1000 bytes received\)$/,
        );
      },
    );
    await t.step("a stalled archive download errors the stream with TIMEOUT", async () => {
      const fetched = await make("slow").openArchive("demo", "1.0.0");
      const error = await caught(
        whileCollectingGarbage(new Response(await fetched.archive.open()).arrayBuffer()),
      );
      assert.equal(error.code, "TIMEOUT");
      assert.match(error.message, /^Gitea "127\.0\.0\.1:\d+" stopped sending the body of GET /);
    });
    await t.step("HTTP 500 is REGISTRY_ERROR, 403 is AUTH_REFUSED", async () => {
      assert.equal((await caught(make("fails").listRepositories())).code, "REGISTRY_ERROR");
      assert.equal((await caught(make("forbidden").listRepositories())).code, "AUTH_REFUSED");
    });
    await t.step("a 503 is retried with the registry client's policy, then answered", async () => {
      const flaky = createGiteaClient({
        url: server.url,
        organization: "flaky",
        retryCount: 3,
        retryTiming: { baseDelayMs: 1, maxDelayMs: 2 },
      });
      assert.deepEqual(await flaky.listRepositories(), []);
      assert.equal(flakyCalls, 3);
    });
    await t.step("a 403 on one repository's tags leaves it out with the reason", async () => {
      const [entry] = await make("units").listAllTags();
      assert.deepEqual(entry, {
        repository: { ...entry!.repository, name: "closed", codeReadable: true },
        tags: [],
        unreadable: "reading its tags was refused to this token (HTTP 403)",
      });
    });
    await t.step("a redirect to plain HTTP elsewhere is refused", async () => {
      assert.equal((await caught(make("redirects").listRepositories())).code, "INSECURE_TRANSPORT");
    });
  } finally {
    await server.close();
  }
});
