import assert from "node:assert/strict";
import { gitRemoteTarget, isGitReference } from "./git_remotes.ts";

Deno.test("isGitReference() tells URLs from extension names", async (t) => {
  const cases: [string, boolean][] = [
    ["git+https://git.example.com/exts/aws.git", true],
    ["git://127.0.0.1:9418/exts/aws.git", true],
    ["file:///srv/git/aws.git", true],
    ["https://git.example.com/exts/aws", true],
    [" git://h/x.git", true],
    ["aws", false],
    ["aws-eks_2", false],
    ["exts/aws", false],
    ["git@github.com:org/aws.git", false],
  ];
  for (const [name, expected] of cases) {
    await t.step(`${JSON.stringify(name)} → ${expected}`, () => {
      assert.equal(isGitReference(name), expected);
    });
  }
});

Deno.test("gitRemoteTarget() names a remote after its repository or sub-path", async (t) => {
  const cases: [string, { name: string; url: string; subpath: string; display: string }][] = [
    ["https://git.example.com/exts/aws.git", {
      name: "aws",
      url: "https://git.example.com/exts/aws.git",
      subpath: "",
      display: "https://git.example.com/exts/aws.git",
    }],
    ["git+https://git.example.com/exts/aws/", {
      name: "aws",
      url: "https://git.example.com/exts/aws/",
      subpath: "",
      display: "https://git.example.com/exts/aws/",
    }],
    ["file:///srv/git/mono.git#extensions//k8s/", {
      name: "k8s",
      url: "file:///srv/git/mono.git",
      subpath: "extensions/k8s",
      display: "file:///srv/git/mono.git#extensions/k8s",
    }],
    ["https://bob:s3cret@git.example.com/exts/gcp.GIT", {
      name: "gcp",
      url: "https://bob:s3cret@git.example.com/exts/gcp.GIT",
      subpath: "",
      display: "https://***@git.example.com/exts/gcp.GIT",
    }],
    ["git://127.0.0.1:9418/exts/my%2Dext.git", {
      name: "my-ext",
      url: "git://127.0.0.1:9418/exts/my%2Dext.git",
      subpath: "",
      display: "git://127.0.0.1:9418/exts/my%2Dext.git",
    }],
  ];
  for (const [reference, expected] of cases) {
    await t.step(reference, () => {
      const { name, url, subpath, display } = gitRemoteTarget(reference);
      assert.deepEqual({ name, url, subpath, display }, expected);
    });
  }
});

Deno.test("gitRemoteTarget() refuses what git must not be given", async (t) => {
  const cases: [string, string][] = [
    ["ssh://git@git.example.com/exts/aws.git", "UNSUPPORTED"],
    ["http://git.example.com/exts/aws.git", "INSECURE_TRANSPORT"],
    ["ext::sh -c touch% /tmp/pwned", "INVALID_REFERENCE"],
    ["file:///srv/git/mono.git#../../etc", "INVALID_CONFIG"],
    ["--upload-pack=touch /tmp/pwned", "INVALID_REFERENCE"],
  ];
  for (const [reference, code] of cases) {
    await t.step(`${reference} → ${code}`, () => {
      assert.throws(() => gitRemoteTarget(reference), { code });
    });
  }
});
