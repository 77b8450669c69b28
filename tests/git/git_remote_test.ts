/**
 * The git source's lower layer against real git servers started on 127.0.0.1: `git daemon`
 * and smart HTTP (`git http-backend` behind a CGI wrapper), serving real bare repositories.
 */

import assert from "node:assert/strict";
import { isProvisioningError } from "../../src/errors.ts";
import {
  fetchTagArchive,
  listRemoteTags,
  resolveRemoteTag,
  resolveRemoteVersion,
} from "../../src/git/mod.ts";
import {
  createGitFixture,
  type GitFixture,
  startGitDaemon,
  startGitHttpServer,
} from "../harness/git_server.ts";

/** Writes the archive to a file and unpacks it with the system `tar`. */
async function extractWithTar(stream: ReadableStream<Uint8Array>, dir: string): Promise<void> {
  const file = `${dir}.tar`;
  await Deno.writeFile(file, stream);
  await Deno.mkdir(dir);
  const out = await new Deno.Command("tar", { args: ["-xf", file, "-C", dir] }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
}

function withServers(
  fn: (
    t: Deno.TestContext,
    fixture: GitFixture,
    servers: { name: string; url: string }[],
    tmp: string,
  ) => Promise<void>,
): (t: Deno.TestContext) => Promise<void> {
  return async (t) => {
    const fixture = await createGitFixture();
    const daemon = await startGitDaemon(fixture.baseDir);
    const http = await startGitHttpServer(fixture.baseDir);
    const tmp = await Deno.makeTempDir({ prefix: "git-test-" });
    try {
      await fn(t, fixture, [
        { name: "git daemon", url: daemon.url },
        { name: "smart HTTP", url: http.url },
      ], tmp);
    } finally {
      await daemon.stop();
      await http.close();
      await fixture.cleanup();
      await Deno.remove(tmp, { recursive: true });
    }
  };
}

Deno.test(
  "git remotes: versions, resolution and tag archives over git daemon and smart HTTP",
  withServers(async (t, fixture, servers, tmp) => {
    const demo = fixture.repos.demo!;
    for (const server of servers) {
      const remote = `${server.url}/${demo.path}`;

      await t.step(
        `listRemoteTags() lists semver tags peeled to commits (${server.name})`,
        async () => {
          const tags = await listRemoteTags(remote);
          assert.deepEqual(tags.map((tag) => [tag.tag, tag.version]), [
            ["0.1.0", "0.1.0"],
            ["1.0.0", "1.0.0"],
            ["1.1.0", "1.1.0"],
            ["v1.2.0", "1.2.0"],
            ["v2.0.0", "2.0.0"],
          ]);
          for (const tag of tags) {
            assert.equal(tag.commit, demo.tags[tag.tag]!.commit, `commit of ${tag.tag}`);
          }
        },
      );

      await t.step(`listRemoteTags() leaves out non-semver tags (${server.name})`, async () => {
        const names = (await listRemoteTags(`git+${remote}`)).map((tag) => tag.tag);
        assert.ok(!names.includes("latest"));
        assert.ok(!names.includes("nightly"));
      });

      await t.step(`resolveRemoteVersion() applies version specs (${server.name})`, async () => {
        const cases: [string, string][] = [
          ["^1.0.0", "v1.2.0"],
          ["~1.1.0", "1.1.0"],
          ["latest", "v2.0.0"],
          ["1.0.0", "1.0.0"],
        ];
        for (const [spec, tag] of cases) {
          const match = await resolveRemoteVersion(remote, spec);
          assert.equal(match.tag, tag, spec);
          assert.equal(match.commit, demo.tags[tag]!.commit, spec);
        }
        await assert.rejects(resolveRemoteVersion(remote, "^3.0.0"), { code: "VERSION_NOT_FOUND" });
      });

      await t.step(
        `resolveRemoteTag() peels annotated and lightweight tags (${server.name})`,
        async () => {
          for (const tag of ["1.0.0", "1.1.0", "nightly"]) {
            assert.equal(await resolveRemoteTag(remote, tag), demo.tags[tag]!.commit, tag);
          }
          await assert.rejects(resolveRemoteTag(remote, "9.9.9"), { code: "VERSION_NOT_FOUND" });
        },
      );

      await t.step(`fetchTagArchive() hands out the tree at the tag (${server.name})`, async () => {
        for (const [tag, version] of [["1.0.0", "1.0.0"], ["v2.0.0", "2.0.0"]] as const) {
          const expectedCommit = demo.tags[tag]!.commit;
          await using fetched = await fetchTagArchive(remote, tag, { expectedCommit, tmpDir: tmp });
          assert.equal(fetched.source, "git");
          assert.equal(fetched.remote, remote);
          assert.equal(fetched.commit, expectedCommit);
          assert.equal(fetched.archive.mediaType, "application/x-tar");
          assert.match(fetched.archive.digest ?? "", /^sha256:[0-9a-f]{64}$/);
          assert.match(fetched.manifestText, new RegExp(`version: ${version}\n`));
          const dir = `${tmp}/${server.name.replace(" ", "-")}-${tag}`;
          await extractWithTar(await fetched.archive.open(), dir);
          const manifest = await Deno.readTextFile(`${dir}/extension.yaml`);
          assert.match(manifest, new RegExp(`version: ${version}\n`));
          assert.equal(await Deno.readTextFile(`${dir}/kcl/main.k`), 'name = "demo"\n');
          assert.equal((await Deno.stat(`${dir}.tar`)).size, fetched.archive.size);
        }
      });

      await t.step(`fetchTagArchive() applies a sub-path (${server.name})`, async () => {
        const mono = fixture.repos.mono!;
        await using fetched = await fetchTagArchive(`${server.url}/${mono.path}`, "1.0.0", {
          subpath: "/extensions/demo/",
          tmpDir: tmp,
        });
        assert.equal(fetched.subpath, "extensions/demo");
        const dir = `${tmp}/${server.name.replace(" ", "-")}-mono`;
        await extractWithTar(await fetched.archive.open(), dir);
        assert.match(await Deno.readTextFile(`${dir}/extension.yaml`), /name: demo/);
        await assert.rejects(Deno.stat(`${dir}/README.md`), Deno.errors.NotFound);
      });

      await t.step(
        `fetchTagArchive() refuses a tag without extension.yaml (${server.name})`,
        async () => {
          const error = await fetchTagArchive(remote, "0.1.0", { tmpDir: tmp }).then(
            () => assert.fail("expected INVALID_EXTENSION"),
            (error: unknown) => error,
          );
          assert.ok(isProvisioningError(error, "INVALID_EXTENSION"));
          assert.equal(error.exitCode, 2);
          assert.match(error.message, /"0\.1\.0"/);
          assert.ok(error.message.includes(remote));
          assert.match(error.message, /"extension\.yaml"/);

          const wrongSubpath = await fetchTagArchive(
            `${server.url}/${fixture.repos.mono!.path}`,
            "1.0.0",
            {
              subpath: "extensions/nope",
              tmpDir: tmp,
            },
          ).catch((error: unknown) => error);
          assert.ok(isProvisioningError(wrongSubpath, "INVALID_EXTENSION"));
          assert.match(wrongSubpath.message, /"extensions\/nope\/extension\.yaml"/);
        },
      );

      await t.step(
        `fetchTagArchive() reports a missing tag as NOT_FOUND (${server.name})`,
        async () => {
          await assert.rejects(fetchTagArchive(remote, "7.7.7", { tmpDir: tmp }), {
            code: "NOT_FOUND",
          });
        },
      );
    }

    // Moving tags changes the fixture: these steps come last, one tag per server.
    const moves = [["v1.2.0", "annotated"], ["1.1.0", "lightweight"]] as const;
    for (const [index, server] of servers.entries()) {
      const [tag, kind] = moves[index]!;
      await t.step(`fetchTagArchive() detects a moved ${kind} tag (${server.name})`, async () => {
        const remote = `${server.url}/${demo.path}`;
        const listed = (await listRemoteTags(remote)).find((entry) => entry.tag === tag)!;
        const moved = await fixture.moveTag("demo", tag, "9.9.9");
        const error = await fetchTagArchive(remote, tag, {
          expectedCommit: listed.commit,
          tmpDir: tmp,
        }).catch((error: unknown) => error);
        assert.ok(isProvisioningError(error, "INTEGRITY"));
        assert.equal(error.exitCode, 5);
        assert.ok(error.message.includes(listed.commit), error.message);
        assert.ok(error.message.includes(moved), error.message);

        await using again = await fetchTagArchive(remote, tag, {
          expectedCommit: moved,
          tmpDir: tmp,
        });
        assert.match(again.manifestText, /version: 9\.9\.9/);
      });
    }

    await t.step("fetchTagArchive() leaves nothing behind in tmpDir", async () => {
      const left = [];
      for await (const entry of Deno.readDir(tmp)) {
        if (entry.name.startsWith("git-tag-")) left.push(entry.name);
      }
      assert.deepEqual(left, []);
    });
  }),
);
