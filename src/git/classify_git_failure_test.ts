import assert from "node:assert/strict";
import { classifyGitFailure, gitRemoteError } from "./classify_git_failure.ts";

// Messages as git 2.39 prints them (LC_ALL=C) for daemons, smart HTTP and local paths.
const CASES: [string, string | undefined][] = [
  ["fatal: remote error: access denied or repository not exported: /x.git", "NOT_FOUND"],
  ["fatal: repository 'http://127.0.0.1:1/x.git/' not found", "NOT_FOUND"],
  ["fatal: '/srv/x.git' does not appear to be a git repository", "NOT_FOUND"],
  [
    "remote: Repository not found.\nfatal: unable to access 'https://h/x/': The requested URL returned error: 404",
    "NOT_FOUND",
  ],
  ["fatal: Authentication failed for 'http://127.0.0.1:1/x.git/'", "AUTH_REFUSED"],
  ["fatal: could not read Username for 'https://h': terminal prompts disabled", "AUTH_REFUSED"],
  [
    "fatal: unable to access 'https://h/x.git/': The requested URL returned error: 403",
    "AUTH_REFUSED",
  ],
  [
    "fatal: unable to connect to 127.0.0.1:\n127.0.0.1[0: 127.0.0.1]: errno=Connection refused",
    "UNREACHABLE",
  ],
  [
    "fatal: unable to access 'https://nx.invalid/x.git/': Could not resolve host: nx.invalid",
    "UNREACHABLE",
  ],
  [
    "fatal: unable to access 'http://127.0.0.1:1/x/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
    "UNREACHABLE",
  ],
  ["fatal: unable to access 'https://h/x/': The requested URL returned error: 502", "UNREACHABLE"],
  [
    "fatal: unable to access 'https://h/x/': SSL certificate problem: self-signed certificate",
    "TLS",
  ],
  ["fatal: couldn't find remote ref refs/tags/9.9.9", "REF_NOT_FOUND"],
  ["fatal: something nobody has seen before", undefined],
];

Deno.test("classifyGitFailure() reads git's messages", async (t) => {
  for (const [stderr, kind] of CASES) {
    await t.step(`${kind ?? "unknown"}: ${stderr.split("\n").at(-1)}`, () => {
      assert.equal(classifyGitFailure(stderr), kind);
    });
  }
});

Deno.test("gitRemoteError() maps kinds to codes and redacts git's messages", async (t) => {
  const table: [string, string][] = [
    ["fatal: repository 'https://u:pw@h/x.git/' not found", "NOT_FOUND"],
    ["fatal: Authentication failed for 'https://u:pw@h/x.git/'", "AUTH_REFUSED"],
    ["fatal: unable to access 'https://u:pw@h/x/': Could not resolve host: h", "UNREACHABLE"],
    ["fatal: unable to access 'https://u:pw@h/x/': SSL certificate problem", "INSECURE_TRANSPORT"],
    ["fatal: couldn't find remote ref refs/tags/v1", "NOT_FOUND"],
    ["fatal: odd failure at 'https://u:pw@h/x/'", "REGISTRY_ERROR"],
  ];
  for (const [stderr, code] of table) {
    await t.step(code, () => {
      const error = gitRemoteError("list tags of", "https://***@h/x.git", {
        code: 128,
        stdout: "",
        stderr,
      });
      assert.equal(error.code, code);
      assert.ok(!`${error.message}\n${error.hint}\n${error.details.join("\n")}`.includes("pw"));
      assert.ok(error.details.length > 0);
    });
  }
});
