/**
 * `provisioning env | grep OCI` finds the OCI settings: the table names the variable that
 * sets each key (ENV column), so a case-sensitive grep for `OCI` shows the registry,
 * namespace and TLS switch with their values and origins, as `helm env | grep HELM_` does.
 */

import assert from "node:assert/strict";
import { runCli, withTempHome } from "./run_cli.ts";

async function grep(pattern: string, input: string): Promise<string> {
  const child = new Deno.Command("grep", { args: [pattern], stdin: "piped", stdout: "piped" })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  return new TextDecoder().decode((await child.output()).stdout);
}

Deno.test("provisioning env | grep OCI shows the OCI settings with values and origins", async () => {
  await withTempHome("env-grep-cli-", async (home) => {
    const run = await runCli(["env"], {
      home,
      env: { PROVISIONING_OCI_NAMESPACE: "team-exts" },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^KEY\s+VALUE\s+ORIGIN\s+ENV$/m);
    const lines = (await grep("OCI", run.stdout)).trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => l.split(/\s+/)[0]), [
      "oci.registry",
      "oci.namespace",
      "oci.insecure",
    ]);
    assert.match(
      lines[0]!,
      /^oci\.registry\s+localhost:5000\s+default\s+PROVISIONING_OCI_REGISTRY$/,
    );
    assert.match(
      lines[1]!,
      /^oci\.namespace\s+team-exts\s+env \(PROVISIONING_OCI_NAMESPACE\)\s+PROVISIONING_OCI_NAMESPACE$/,
    );
    // A key no variable sets says `-` in the ENV column.
    assert.match(run.stdout, /^oci\.timeout\s+30\s+default\s+-$/m);
  });
});
