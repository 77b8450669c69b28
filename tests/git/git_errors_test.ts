/**
 * How the git source's lower layer fails: against real `git daemon` and smart-HTTP servers
 * (one with Basic auth) on 127.0.0.1, a closed port, and — for the timeout only — a
 * test-only TCP listener that accepts connections and never answers (a real server will
 * not stall on purpose).
 */

import assert from "node:assert/strict";
import { isProvisioningError, type ProvisioningError } from "../../src/errors.ts";
import {
  fetchTagArchive,
  listRemoteTags,
  resolveRemoteVersion,
  type RunGit,
} from "../../src/git/mod.ts";
import {
  createGitFixture,
  freePort,
  startGitDaemon,
  startGitHttpServer,
} from "../harness/git_server.ts";

const PASSWORD = "s3cret-Pa55";
const WRONG = "wr0ng-Pa55";

/** Every text of an error a user or a log could see. */
function visibleText(error: ProvisioningError): string {
  return [error.message, error.hint ?? "", ...error.details, String(error.stack)].join("\n");
}

async function caught(promise: Promise<unknown>): Promise<ProvisioningError> {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(isProvisioningError(error), `expected a ProvisioningError, got ${error}`);
  return error;
}

Deno.test("git remotes: failures map to stable codes without leaking credentials", async (t) => {
  const fixture = await createGitFixture();
  const daemon = await startGitDaemon(fixture.baseDir);
  const http = await startGitHttpServer(fixture.baseDir);
  const authHttp = await startGitHttpServer(fixture.baseDir, {
    auth: { username: "alice", password: PASSWORD },
  });
  const tmp = await Deno.makeTempDir({ prefix: "git-errors-" });
  const demo = fixture.repos.demo!;
  try {
    for (const base of [daemon.url, http.url]) {
      await t.step(`an unknown repository is NOT_FOUND (${base.split(":")[0]})`, async () => {
        const error = await caught(listRemoteTags(`${base}/${fixture.owner}/missing.git`));
        assert.equal(error.code, "NOT_FOUND");
        assert.equal(error.exitCode, 3);
        const fetchError = await caught(
          fetchTagArchive(`${base}/${fixture.owner}/missing.git`, "1.0.0", { tmpDir: tmp }),
        );
        assert.equal(fetchError.code, "NOT_FOUND");
      });
    }

    await t.step("a closed port is UNREACHABLE", async () => {
      const port = freePort();
      for (const remote of [`git://127.0.0.1:${port}/x.git`, `http://127.0.0.1:${port}/x.git`]) {
        const error = await caught(listRemoteTags(remote));
        assert.equal(error.code, "UNREACHABLE", remote);
        assert.equal(error.exitCode, 4);
      }
    });

    await t.step("a missing file:// repository is NOT_FOUND", async () => {
      const error = await caught(listRemoteTags(`file://${tmp}/nothing.git`));
      assert.equal(error.code, "NOT_FOUND");
    });

    const authBase = `127.0.0.1:${authHttp.port}/${demo.path}`;

    await t.step("the right credentials in the URL are used", async () => {
      const tags = await listRemoteTags(`http://alice:${PASSWORD}@${authBase}`);
      assert.equal(tags.length, 5);
      await using fetched = await fetchTagArchive(`http://alice:${PASSWORD}@${authBase}`, "1.0.0", {
        tmpDir: tmp,
      });
      assert.equal(fetched.remote, `http://***@${authBase}`);
      assert.ok(!JSON.stringify(fetched).includes(PASSWORD));
    });

    await t.step("wrong credentials are AUTH_REFUSED and redacted", async () => {
      const remote = `http://alice:${WRONG}@${authBase}`;
      const attempts = [
        () => listRemoteTags(remote),
        () => resolveRemoteVersion(remote, "^1.0.0"),
        () => fetchTagArchive(remote, "1.0.0", { tmpDir: tmp }),
      ];
      for (const attempt of attempts) {
        const error = await caught(attempt());
        assert.equal(error.code, "AUTH_REFUSED");
        assert.equal(error.exitCode, 4);
        assert.ok(!visibleText(error).includes(WRONG), visibleText(error));
        assert.ok(error.message.includes(`http://***@${authBase}`), error.message);
      }
    });

    await t.step("missing credentials are AUTH_REFUSED without a prompt", async () => {
      const error = await caught(listRemoteTags(`http://${authBase}`));
      assert.equal(error.code, "AUTH_REFUSED");
    });

    await t.step("credentials stay redacted in NOT_FOUND and VERSION_NOT_FOUND", async () => {
      const missing = `http://alice:${PASSWORD}@127.0.0.1:${authHttp.port}/${fixture.owner}/x.git`;
      const notFound = await caught(listRemoteTags(missing));
      assert.equal(notFound.code, "NOT_FOUND");
      assert.ok(!visibleText(notFound).includes(PASSWORD), visibleText(notFound));
      const noVersion = await caught(
        resolveRemoteVersion(`git+http://alice:${PASSWORD}@${authBase}`, "^5.0.0"),
      );
      assert.equal(noVersion.code, "VERSION_NOT_FOUND");
      assert.ok(!visibleText(noVersion).includes(PASSWORD), visibleText(noVersion));
    });

    await t.step("a remote that never answers is a TIMEOUT", async () => {
      // Test-only fault: accepts connections and never answers.
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const connections: Deno.Conn[] = [];
      const accepting = (async () => {
        try {
          for await (const conn of listener) connections.push(conn);
        } catch { /* closed */ }
      })();
      try {
        const port = (listener.addr as Deno.NetAddr).port;
        const error = await caught(
          listRemoteTags(`git://127.0.0.1:${port}/x.git`, { timeoutMs: 500 }),
        );
        assert.equal(error.code, "TIMEOUT");
        assert.equal(error.exitCode, 4);
      } finally {
        listener.close();
        await accepting;
        for (const conn of connections) conn.close();
      }
    });

    await t.step("bad remotes are refused before git runs", async () => {
      const calls: string[][] = [];
      const runGit: RunGit = (args) => {
        calls.push([...args]);
        return Promise.resolve({ code: 0, stdout: "", stderr: "" });
      };
      const cases: [string, string][] = [
        ["http://git.example.com/x.git", "INSECURE_TRANSPORT"],
        ["ssh://git@git.example.com/x.git", "UNSUPPORTED"],
        ["ext::sh -c touch% /tmp/pwned", "INVALID_REFERENCE"],
        ["--upload-pack=touch /tmp/pwned", "INVALID_REFERENCE"],
        ["ftp://git.example.com/x.git", "INVALID_REFERENCE"],
      ];
      for (const [remote, code] of cases) {
        assert.equal((await caught(listRemoteTags(remote, { runGit }))).code, code, remote);
      }
      assert.equal(
        (await caught(fetchTagArchive(`${daemon.url}/x.git`, "--help", { tmpDir: tmp, runGit })))
          .code,
        "INVALID_REFERENCE",
      );
      assert.deepEqual(calls, []);
      assert.equal(
        (await listRemoteTags("http://git.example.com/x.git", { runGit, insecure: true })).length,
        0,
      );
      assert.equal(calls.length, 1);
    });
  } finally {
    await daemon.stop();
    await http.close();
    await authHttp.close();
    await fixture.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});
