/**
 * The launch surroundings of least privilege: the flags `deno.json`'s tasks carry, the
 * variables the tool may read, what a worker gets from a narrower launch, how Deno's refusals
 * are reported, and what a reference on the command line adds.
 *
 * @module
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SOURCE_DATE_EPOCH_ENV } from "../../src/cli/ext_publish.ts";
import { reportError } from "../../src/cli/report_error.ts";
import { COSIGN_PASSWORD_ENV } from "../../src/signatures/media_types.ts";
import { ProvisioningError } from "../../src/errors.ts";
import { referenceGrants } from "../../src/cli/command_grants.ts";
import { defaultSettings } from "../../src/config/defaults.ts";
import {
  BROAD_LAUNCH_FLAGS,
  COMMAND_ENV_VARS,
  heldGrants,
  permissionRefusal,
  PLAN_ENV_VARS,
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

Deno.test("the launch grants exactly the variables the tool reads", async (t) => {
  await t.step("SOURCE_DATE_EPOCH and COSIGN_PASSWORD are the names the commands read", () => {
    assert.ok(COMMAND_ENV_VARS.includes(SOURCE_DATE_EPOCH_ENV));
    assert.ok(COMMAND_ENV_VARS.includes(COSIGN_PASSWORD_ENV));
  });
  await t.step("the broad launch's --allow-env is the plan's variables", () => {
    assert.ok(BROAD_LAUNCH_FLAGS.includes(`--allow-env=${PLAN_ENV_VARS.join(",")}`));
  });
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

Deno.test("referenceGrants() lets a git URL given as the name run git, and an oci:// reference reach its registry", async (t) => {
  const config = { settings: defaultSettings("/h"), origins: {} };
  const cases: [label: string, argument: string, grants: object][] = [
    ["file URL", "file:///srv/git/aws", { run: ["git"] }],
    ["git+https URL", "git+https://git.example/aws.git", { run: ["git"] }],
    ["oci:// reference", "oci://ghcr.io/acme/aws:1.0.0", { net: ["ghcr.io:443"] }],
    ["plain name", "aws", {}],
  ];
  for (const [label, argument, grants] of cases) {
    await t.step(label, async () => {
      assert.deepEqual(await referenceGrants(argument, config), grants);
    });
  }
});
