import assert from "node:assert/strict";
import { parseGitRemote } from "./parse_git_remote.ts";

Deno.test("parseGitRemote() accepts the supported transports", async (t) => {
  const cases: [string, string, string][] = [
    ["https://git.example.com/ext/aws.git", "https://git.example.com/ext/aws.git", "https"],
    ["git+https://git.example.com/ext/aws.git", "https://git.example.com/ext/aws.git", "https"],
    ["git://git.example.com/aws.git", "git://git.example.com/aws.git", "git"],
    ["file:///srv/git/aws.git", "file:///srv/git/aws.git", "file"],
    ["git+file:///srv/git/aws.git", "file:///srv/git/aws.git", "file"],
    ["http://127.0.0.1:8080/aws.git", "http://127.0.0.1:8080/aws.git", "http"],
    ["http://localhost/aws.git", "http://localhost/aws.git", "http"],
    ["  https://h.example/x.git  ", "https://h.example/x.git", "https"],
  ];
  for (const [input, url, scheme] of cases) {
    await t.step(input.trim(), () => {
      const remote = parseGitRemote(input);
      assert.equal(remote.url, url);
      assert.equal(remote.scheme, scheme);
    });
  }
});

Deno.test("parseGitRemote() refuses what it cannot use safely", async (t) => {
  const cases: [string, string][] = [
    ["http://git.example.com/aws.git", "INSECURE_TRANSPORT"],
    ["ssh://git@git.example.com/aws.git", "UNSUPPORTED"],
    ["git+ssh://git@git.example.com/aws.git", "UNSUPPORTED"],
    ["git@git.example.com:ext/aws.git", "INVALID_REFERENCE"],
    ["ext::sh -c evil", "INVALID_REFERENCE"],
    ["-uevil", "INVALID_REFERENCE"],
    ["file://otherhost/srv/aws.git", "INVALID_REFERENCE"],
    ["", "INVALID_REFERENCE"],
  ];
  for (const [input, code] of cases) {
    await t.step(`${JSON.stringify(input)} → ${code}`, () => {
      assert.throws(() => parseGitRemote(input), { code });
    });
  }
});

Deno.test("parseGitRemote() allows plain HTTP anywhere only when insecure", () => {
  assert.equal(parseGitRemote("http://git.lan/x.git", { insecure: true }).scheme, "http");
});

Deno.test("parseGitRemote() redacts credentials in errors and display", () => {
  const remote = parseGitRemote("https://bob:hunter2@h.example/x.git");
  assert.equal(remote.display, "https://***@h.example/x.git");
  assert.throws(() => parseGitRemote("http://bob:hunter2@h.example/x.git"), (error: Error) => {
    assert.ok(!error.message.includes("hunter2"));
    return true;
  });
});
