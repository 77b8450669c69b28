import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { parseConfigText } from "./config_file.ts";
import { loadConfig } from "./load_config.ts";

const FILE = "/home/ada/.provisioning/config.toml";
const OPTIONS = { file: FILE, home: "/home/ada", kind: "user" } as const;

Deno.test("parseConfigText() reads [gitea] timeout, retry_count and ca_file like [oci]'s", () => {
  const layer = parseConfigText(
    '[gitea]\ntimeout = 2.5\nretry_count = 0\nca_file = "certs/gitea-ca.pem"\n',
    OPTIONS,
  );
  assert.equal(layer.values["gitea.timeout"], 2.5);
  assert.equal(layer.values["gitea.retry_count"], 0);
  assert.equal(layer.values["gitea.ca_file"], "/home/ada/.provisioning/certs/gitea-ca.pem");
});

Deno.test("parseConfigText() refuses bad [gitea] timeout, retry_count and ca_file in one line", async (t) => {
  const cases = [
    ["timeout = 0", "gitea.timeout must be greater than 0, got 0"],
    ["timeout = 3601", "gitea.timeout must be at most 3600, got 3601"],
    ['timeout = "30"', 'gitea.timeout must be a number, got string "30"'],
    ["retry_count = 1.5", "gitea.retry_count must be a whole number, got 1.5"],
    ["retry_count = -1", "gitea.retry_count must be 0 or more, got -1"],
    ["retry_count = 21", "gitea.retry_count must be at most 20, got 21"],
    ['ca_file = ""', 'gitea.ca_file must be a non-empty path, got ""'],
    ["ca_file = true", "gitea.ca_file must be a string, got boolean true"],
  ] as const;
  for (const [line, message] of cases) {
    await t.step(line, () => {
      assert.throws(() => parseConfigText(`[gitea]\n${line}\n`, OPTIONS), (error) => {
        assert.ok(isProvisioningError(error, "INVALID_CONFIG"), String(error));
        assert.equal(error.message, `${FILE}:2: ${message}`);
        assert.equal(error.details.length, 0);
        return true;
      });
    });
  }
  await t.step("a typo suggests the key", () => {
    assert.throws(() => parseConfigText("[gitea]\nretry_cuont = 1\n", OPTIONS), {
      code: "INVALID_CONFIG",
      hint: 'Did you mean "gitea.retry_count"?',
    });
  });
});

Deno.test("loadConfig() leaves [gitea] timeout and retry_count unset by default", async () => {
  const home = await Deno.makeTempDir();
  try {
    const { settings, origins } = await loadConfig({ cwd: home, home, env: {} });
    assert.equal(settings.gitea.timeout, undefined);
    assert.equal(settings.gitea.retry_count, undefined);
    assert.equal(settings.gitea.ca_file, undefined);
    assert.deepEqual(origins["gitea.ca_file"], { kind: "default" });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
