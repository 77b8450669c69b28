import assert from "node:assert/strict";
import { join } from "node:path";
import { isProvisioningError } from "../errors.ts";
import { withTempTree } from "./_testing.ts";
import { findWorkspace, locateWorkspace } from "./workspace.ts";

const OVERRIDES = "workspace/config/local-overrides.toml";

Deno.test("findWorkspace() searches from the current directory upwards", async (t) => {
  const tree = {
    [OVERRIDES]: "[oci]\n",
    "src/deep/er/": "",
    "workspace/config/sub/": "",
    "workspace/extensions/": "",
    "nested/workspace/config/local-overrides.toml": "",
    "nested/inner/": "",
    "plain/workspace/config/": "",
  };
  const cases = [
    { name: "at the project root", cwd: "", want: "workspace" },
    { name: "from a deep subdirectory", cwd: "src/deep/er", want: "workspace" },
    { name: "from inside the workspace directory", cwd: "workspace", want: "workspace" },
    { name: "from inside workspace/config", cwd: "workspace/config/sub", want: "workspace" },
    { name: "from a sibling folder of config", cwd: "workspace/extensions", want: "workspace" },
    { name: "the nearest workspace wins", cwd: "nested/inner", want: "nested/workspace" },
    {
      name: "a workspace/ without the overrides file does not count",
      cwd: "plain/workspace/config",
      want: "workspace",
    },
  ];
  await withTempTree(tree, async (root) => {
    for (const { name, cwd, want } of cases) {
      await t.step(name, async () => {
        const found = await findWorkspace({ cwd: join(root, cwd), home: root, env: {} });
        assert.equal(found, join(root, want));
      });
    }
  });
});

Deno.test("findWorkspace() finds nothing when no ancestor has the overrides file", async () => {
  await withTempTree({ "a/b/": "", "a/workspace/config/": "" }, async (root) => {
    assert.equal(await findWorkspace({ cwd: join(root, "a/b"), home: root, env: {} }), undefined);
  });
});

Deno.test("locateWorkspace() returns the overrides file and its text", async () => {
  await withTempTree({ [OVERRIDES]: "[cache]\n" }, async (root) => {
    assert.deepEqual(await locateWorkspace({ cwd: root, home: root, env: {} }), {
      dir: join(root, "workspace"),
      configFile: join(root, OVERRIDES),
      configText: "[cache]\n",
    });
  });
});

Deno.test("findWorkspace() takes PROVISIONING_WORKSPACE instead of searching", async (t) => {
  const tree = {
    [OVERRIDES]: "",
    "other/ws/config/local-overrides.toml": "",
    "other/bare/": "",
    "other/project/workspace/config/local-overrides.toml": "",
    "home/my-ws/": "",
  };
  const cases = [
    { name: "absolute workspace directory", value: "{root}/other/ws", want: "other/ws" },
    { name: "relative to the current directory", value: "other/ws", want: "other/ws" },
    { name: "~ expands to home", value: "~/my-ws", want: "home/my-ws" },
    {
      name: "a directory without overrides is still the workspace",
      value: "other/bare",
      want: "other/bare",
    },
    {
      name: "a project root holding workspace/ resolves to its workspace",
      value: "other/project",
      want: "other/project/workspace",
    },
    { name: "empty means unset: search upwards", value: "", want: "workspace" },
  ];
  await withTempTree(tree, async (root) => {
    for (const { name, value, want } of cases) {
      await t.step(name, async () => {
        const env = { PROVISIONING_WORKSPACE: value.replace("{root}", root) };
        const found = await findWorkspace({ cwd: root, home: join(root, "home"), env });
        assert.equal(found, join(root, want));
      });
    }
  });
});

Deno.test("findWorkspace() rejects a PROVISIONING_WORKSPACE that is not a directory", async () => {
  await withTempTree({ "file.txt": "x" }, async (root) => {
    const cases = [["missing", "does not exist"], ["file.txt", "is not a directory"]];
    for (const [value = "", problem] of cases) {
      await assert.rejects(
        findWorkspace({ cwd: root, home: root, env: { PROVISIONING_WORKSPACE: value } }),
        (error) => {
          assert.ok(isProvisioningError(error, "INVALID_CONFIG"));
          assert.equal(
            error.message,
            `Workspace directory "${join(root, value)}" named by PROVISIONING_WORKSPACE ${problem}`,
          );
          return true;
        },
      );
    }
  });
});

Deno.test("findWorkspace() reports an overrides path that cannot be read", async () => {
  await withTempTree({ "workspace/config/local-overrides.toml/": "" }, async (root) => {
    await assert.rejects(
      findWorkspace({ cwd: root, home: root, env: {} }),
      (error) => {
        assert.ok(isProvisioningError(error, "INVALID_CONFIG"));
        assert.ok(error.message.startsWith(`Cannot read config file "${join(root, OVERRIDES)}"`));
        return true;
      },
    );
  });
});
