import assert from "node:assert/strict";
import { isProvisioningError } from "../errors.ts";
import { parseConfigText } from "./config_file.ts";

const FILE = "/home/ada/.provisioning/config.toml";
const OPTIONS = { file: FILE, home: "/home/ada", kind: "user" } as const;

Deno.test("parseConfigText() reads [[oci.registries]] in order, paths made absolute", () => {
  const layer = parseConfigText(
    '[[oci.registries]]\nname = "a"\nregistry = "a.example:5000"\nca_file = "ca.pem"\n' +
      '[[oci.registries]]\nname = "b"\nregistry = "b.example"\nnamespace = "team/x"\n' +
      'insecure = true\nauth_token_path = "~/b-token"\n',
    OPTIONS,
  );
  assert.deepEqual(layer.values["oci.registries"], [
    {
      name: "a",
      registry: "a.example:5000",
      namespace: undefined,
      insecure: undefined,
      ca_file: "/home/ada/.provisioning/ca.pem",
      cert_file: undefined,
      key_file: undefined,
      auth_token_path: undefined,
    },
    {
      name: "b",
      registry: "b.example",
      namespace: "team/x",
      insecure: true,
      ca_file: undefined,
      cert_file: undefined,
      key_file: undefined,
      auth_token_path: "/home/ada/b-token",
    },
  ]);
});

Deno.test("parseConfigText() refuses bad [[oci.registries]] tables with one line", async (t) => {
  const cases = [
    ['[[oci.registries]]\nregistry = "a:5000"\n', /registries\[0\]\.name must be a string/],
    ['[[oci.registries]]\nname = "a"\n', /registries\[0\]\.registry must be a string/],
    [
      '[[oci.registries]]\nname = "a"\nregistry = "https://a:5000"\n',
      /registries\[0\]\.registry must be host\[:port\]/,
    ],
    [
      '[[oci.registries]]\nname = "a"\nregistry = "a:5000"\n[[oci.registries]]\nname = "a"\nregistry = "b:5000"\n',
      /registries\[1\]\.name "a" is used twice/,
    ],
    [
      '[[oci.registries]]\nname = "a"\nregistry = "a:5000"\nnamespcae = "x"\n',
      /registries\[0\]\.namespcae is not known/,
    ],
    [
      '[[oci.registries]]\nname = "a"\nregistry = "a:5000"\ncert_file = "c.pem"\n',
      /registries\[0\] needs cert_file and key_file together/,
    ],
    [
      '[[oci.registries]]\nname = "a"\nregistry = "a:5000"\nnamespace = "Upper"\n',
      /registries\[0\]\.namespace must be lower-case/,
    ],
  ] as const;
  for (const [text, message] of cases) {
    await t.step(String(message), () => {
      assert.throws(() => parseConfigText(text, OPTIONS), (error) => {
        assert.ok(isProvisioningError(error, "INVALID_CONFIG"), String(error));
        assert.match(error.message, message);
        return true;
      });
    });
  }
});
