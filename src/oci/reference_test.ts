import assert from "node:assert/strict";
import { formatReference, parseReference, tryParseReference } from "./reference.ts";

const defaults = { registry: "localhost:5000", namespace: "provisioning-extensions" };
const digest = `sha256:${"ab".repeat(32)}`;

Deno.test("parseReference() fills in defaults and splits registry, namespace, name", async (t) => {
  const cases: [string, string, string, string, string | undefined, string | undefined][] = [
    // input, registry, namespace, name, tag, digest
    ["aws", "localhost:5000", "provisioning-extensions", "aws", undefined, undefined],
    ["aws:1.2.0", "localhost:5000", "provisioning-extensions", "aws", "1.2.0", undefined],
    ["team/aws:1.2.0", "localhost:5000", "team", "aws", "1.2.0", undefined],
    ["ghcr.io/acme/ext/aws:v1", "ghcr.io", "acme/ext", "aws", "v1", undefined],
    ["127.0.0.1:5000/ns/aws@" + digest, "127.0.0.1:5000", "ns", "aws", undefined, digest],
    ["localhost/ns/aws:1.0.0_b.1", "localhost", "ns", "aws", "1.0.0_b.1", undefined],
    ["localhost:5000/aws", "localhost:5000", "", "aws", undefined, undefined],
    ["[::1]:5000/ns/aws:1", "[::1]:5000", "ns", "aws", "1", undefined],
    ["Reg.Example.COM/ns/aws", "reg.example.com", "ns", "aws", undefined, undefined],
    ["ns/my-ext.v2__x:1.0@" + digest, "localhost:5000", "ns", "my-ext.v2__x", "1.0", digest],
  ];
  for (const [input, registry, namespace, name, tag, dig] of cases) {
    await t.step(input, () => {
      const ref = parseReference(input, defaults);
      assert.equal(ref.registry, registry);
      assert.equal(ref.namespace, namespace);
      assert.equal(ref.name, name);
      assert.equal(ref.repository, namespace === "" ? name : `${namespace}/${name}`);
      assert.equal(ref.tag, tag);
      assert.equal(ref.digest, dig);
    });
  }
});

Deno.test("parseReference() drops the scheme of the default registry", () => {
  const ref = parseReference("aws", { registry: "https://reg.example.com/", namespace: "ns" });
  assert.equal(ref.registry, "reg.example.com");
});

Deno.test("parseReference() refuses malformed references with INVALID_REFERENCE", async (t) => {
  const cases: [string, RegExp][] = [
    ["", /empty/],
    ["aws 1", /whitespace/],
    ["AWS", /"AWS" is not a valid name/],
    ["aws:1.0.0+build", /not a valid tag/],
    ["aws:-x", /not a valid tag/],
    ["aws@sha256:xyz", /not a digest/],
    ["ns//aws", /empty path component/],
    ["ns/aws-:1", /not a valid name/],
    ["bad_host.:5000/ns/aws", /not a registry host/],
    [`ns/${"a".repeat(256)}`, /longer than 255/],
  ];
  for (const [input, message] of cases) {
    await t.step(JSON.stringify(input), () => {
      assert.throws(() => parseReference(input, defaults), (error: unknown) => {
        assert.equal((error as { code: string }).code, "INVALID_REFERENCE");
        assert.match((error as Error).message, message);
        assert.ok((error as Error).message.startsWith("Cannot parse reference"));
        return true;
      });
      assert.equal(tryParseReference(input, defaults), undefined);
    });
  }
});

Deno.test("parseReference() hints at _ for build metadata and at lower case", () => {
  assert.throws(() => parseReference("aws:1.0.0+b", defaults), { hint: /write semver build/ });
  assert.throws(() => parseReference("Aws", defaults), { hint: /lower case/ });
});

Deno.test("formatReference() round-trips what parseReference() read", async (t) => {
  for (const input of ["r.io/ns/aws:1.0", "r.io/ns/aws@" + digest, "r.io:5/a/b/c:t@" + digest]) {
    await t.step(input, () => {
      assert.equal(formatReference(parseReference(input, defaults)), input);
    });
  }
});

Deno.test("parseReference() never echoes a password typed into a reference", () => {
  for (const input of ["alice:hunter2@reg.io/ns/aws:1", "https://alice:hunter2@reg.io/ns/aws"]) {
    assert.throws(() => parseReference(input, defaults), (error: unknown) => {
      assert.equal((error as { code: string }).code, "INVALID_REFERENCE");
      assert.ok(!(error as Error).message.includes("hunter2"), (error as Error).message);
      return true;
    });
  }
});
