/**
 * The launch surroundings of least privilege: the flags `deno.json`'s tasks carry, the
 * variables each command may read, a cache root reached through a link, what a worker gets
 * from a narrower launch, and how Deno's refusals are reported.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SOURCE_DATE_EPOCH_ENV } from "../../src/cli/ext_publish.ts";
import { reportError } from "../../src/cli/report_error.ts";
import { COSIGN_PASSWORD_ENV } from "../../src/signatures/media_types.ts";
import { ProvisioningError } from "../../src/errors.ts";
import {
  BROAD_LAUNCH_FLAGS,
  COMMAND_NEEDS,
  commandNeeds,
  COSIGN_PASSWORD,
  heldGrants,
  LAUNCH_ENV_VARS,
  permissionRefusal,
  planPermissions,
  SOURCE_DATE_EPOCH,
  unionNeeds,
} from "../../src/permissions/mod.ts";

const DENO_JSON = fileURLToPath(new URL("../../deno.json", import.meta.url));

Deno.test("deno.json launches with exactly the broad launch flags", async (t) => {
  const config = JSON.parse(await Deno.readTextFile(DENO_JSON));
  const tasks = config.tasks as Record<string, string>;
  await t.step("deno task ext", () => {
    assert.equal(tasks.ext, `deno run ${BROAD_LAUNCH_FLAGS.join(" ")} main.ts ext`);
  });
  await t.step("deno task compile embeds the examples", () => {
    assert.equal(
      tasks.compile,
      `deno compile ${
        BROAD_LAUNCH_FLAGS.join(" ")
      } --include examples/extensions -o dist/provisioning main.ts`,
    );
  });
  await t.step("worker options are on for any deno run in the project", () => {
    assert.ok((config.unstable as string[]).includes("worker-options"));
  });
});

Deno.test("each command may read exactly the variables it uses", async (t) => {
  await t.step("SOURCE_DATE_EPOCH is the variable ext publish reads", () => {
    assert.equal(SOURCE_DATE_EPOCH, SOURCE_DATE_EPOCH_ENV);
    assert.deepEqual(commandNeeds(["ext", "publish"]).env, [SOURCE_DATE_EPOCH, COSIGN_PASSWORD]);
  });
  await t.step("COSIGN_PASSWORD is read by the commands that open a private key", () => {
    assert.equal(COSIGN_PASSWORD, COSIGN_PASSWORD_ENV);
    for (const command of [["ext", "key", "generate"], ["ext", "sign"]]) {
      assert.deepEqual(commandNeeds(command).env, [COSIGN_PASSWORD], command.join(" "));
    }
  });
  await t.step("no other command reads either", () => {
    const readers = ["ext publish", "ext key generate", "ext sign"];
    for (const [command, needs] of Object.entries(COMMAND_NEEDS)) {
      if (!readers.includes(command)) assert.equal(needs.env, undefined, command);
    }
  });
  await t.step("the launch grants every variable any command reads", () => {
    const all = unionNeeds(Object.values(COMMAND_NEEDS));
    for (const name of all.env ?? []) assert.ok(LAUNCH_ENV_VARS.includes(name), name);
  });
  await t.step("the publish set grants it, the load set does not", async () => {
    const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-env-" }));
    try {
      const env = { home, cwd: home, execPath: "deno", getEnv: () => undefined };
      const publish = await planPermissions({ command: ["ext", "publish"] }, env, {
        probeTokenRealm: false,
      });
      const load = await planPermissions({ command: ["ext", "load"] }, env, {
        probeTokenRealm: false,
      });
      assert.ok(publish.set.env.includes(SOURCE_DATE_EPOCH));
      assert.ok(!load.set.env.includes(SOURCE_DATE_EPOCH));
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  });
});

Deno.test("planPermissions() grants a cache root reached through a link at its real path", async (t) => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-link-" }));
  try {
    await Deno.mkdir(`${home}/real-cache`);
    await Deno.symlink(`${home}/real-cache`, `${home}/cache`);
    const env = { home, cwd: home, execPath: "deno", getEnv: () => undefined };
    const cases = [
      { command: ["ext", "load"], read: true, write: [`${home}/cache`, `${home}/real-cache`] },
      { command: ["ext", "cache", "list"], read: true, write: [] },
      {
        command: ["ext", "publish"],
        read: true,
        write: [
          `${home}/cache/discovery`,
          `${home}/cache/origins`,
          `${home}/cache/tmp`,
          `${home}/real-cache/discovery`,
          `${home}/real-cache/origins`,
          `${home}/real-cache/tmp`,
        ],
      },
      { command: ["env"], read: false, write: [] },
    ];
    for (const c of cases) {
      await t.step(c.command.join(" "), async () => {
        const plan = await planPermissions(
          { command: c.command, globals: { cacheDir: `${home}/cache` } },
          env,
          { probeTokenRealm: false },
        );
        assert.equal(
          plan.set.read.some((path) => path.startsWith(`${home}/real-cache`)),
          c.read,
          plan.set.read.join(", "),
        );
        assert.deepEqual(plan.set.write, c.write);
      });
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("heldGrants() keeps only what the launch itself holds", () => {
  const set = {
    read: ["/a", "/b"],
    write: ["/a"],
    net: ["x:1", "y:2"],
    env: ["HOME"],
    run: ["git"],
    ignoreEnv: true,
  };
  const held = heldGrants(set, [
    { kind: "read", value: "/b" },
    { kind: "net", value: "y:2" },
    { kind: "run", value: "git" },
  ]);
  assert.deepEqual(held, { ...set, read: ["/a"], net: ["x:1"], run: [] });
});

Deno.test("Deno's refusals are one clear line with exit 2, not an unexpected failure", async (t) => {
  const cases: [label: string, message: string, expected: string][] = [
    [
      "read",
      'Requires read access to "/etc/passwd", run again with the --allow-read flag',
      'Deno refused read access to "/etc/passwd": not in this command\'s permission set',
    ],
    [
      "write",
      'Requires write access to "/srv/x", run again with the --allow-write flag',
      'Deno refused write access to "/srv/x": not in this command\'s permission set',
    ],
    [
      "net",
      'Requires net access to "127.0.0.1:9", run again with the --allow-net flag',
      'Deno refused net access to "127.0.0.1:9": not in this command\'s permission set',
    ],
    [
      "env",
      'Requires env access to "AWS_SECRET", run again with the --allow-env flag',
      'Deno refused env access to "AWS_SECRET": not in this command\'s permission set',
    ],
    [
      "run",
      'Requires run access to "curl", run again with the --allow-run flag',
      'Deno refused run access to "curl": not in this command\'s permission set',
    ],
    [
      "the system temporary directory",
      "Requires write access to <TMP>, run again with the --allow-write flag",
      "Deno refused write access to <TMP>: not in this command's permission set",
    ],
  ];
  for (const [label, message, expected] of cases) {
    await t.step(label, () => {
      const refusal = permissionRefusal(new Deno.errors.NotCapable(message));
      assert.equal(refusal?.message, expected);
      assert.equal(refusal?.code, "UNSUPPORTED");
    });
  }
  await t.step("found through causes and the loader's INTERNAL wrapper", () => {
    const denied = new Deno.errors.NotCapable(cases[1]![1]);
    const wrapped = new ProvisioningError("INTERNAL", "Loading failed", {
      cause: new Error("inner", { cause: denied }),
    });
    assert.equal(permissionRefusal(wrapped)?.message, cases[1]![2]);
  });
  await t.step("a library error that names the refusal itself is kept", () => {
    const denied = new Deno.errors.NotCapable(cases[2]![1]);
    const own = new ProvisioningError("UNSUPPORTED", "Cannot connect", { cause: denied });
    assert.equal(permissionRefusal(own), undefined);
  });
  await t.step("reportError prints one line and a hint, exit 2", () => {
    let text = "";
    const io = {
      out: () => {},
      err: (t: string) => text += t,
      stderrIsTerminal: false,
      color: false,
    };
    const code = reportError(new Deno.errors.NotCapable(cases[0]![1]), io, false);
    assert.equal(code, 2);
    assert.equal(
      text,
      `error: ${
        cases[0]![2]
      }\nhint: See what the command may use: provisioning ext permissions <command>\n`,
    );
  });
});

Deno.test("planPermissions() lets a git URL given as the name run git, as the loader routes it", async (t) => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "perm-git-" }));
  try {
    const env = { home, cwd: home, execPath: "deno", getEnv: () => undefined };
    const cases: [label: string, source: string | undefined, argument: string, git: boolean][] = [
      ["URL, no --source", undefined, "file:///srv/git/aws", true],
      ["URL, --source auto", "auto", "git+https://git.example/aws.git", true],
      ["URL, --source oci stays oci", "oci", "file:///srv/git/aws", false],
      ["plain name", undefined, "aws", false],
    ];
    for (const [label, source, argument, git] of cases) {
      await t.step(label, async () => {
        const plan = await planPermissions(
          { command: ["ext", "load"], source, argument },
          env,
          { probeTokenRealm: false },
        );
        assert.equal(plan.set.run.includes("git"), git);
      });
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
