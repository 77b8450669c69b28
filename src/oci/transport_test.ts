import assert from "node:assert/strict";
import { checkUrlTransport, isLoopbackHost, registryBaseUrl } from "./transport.ts";

Deno.test("isLoopbackHost() accepts localhost, 127.0.0.0/8 and ::1 only", async (t) => {
  const cases: [string, boolean][] = [
    ["localhost", true],
    ["localhost:5000", true],
    ["127.0.0.1", true],
    ["127.255.3.4:80", true],
    ["[::1]:5000", true],
    ["::1", true],
    ["128.0.0.1", false],
    ["127.0.0.256", false],
    ["localhost.example.com", false],
    ["10.0.0.1:5000", false],
    ["[::2]:5000", false],
  ];
  for (const [host, expected] of cases) {
    await t.step(host, () => assert.equal(isLoopbackHost(host), expected));
  }
});

Deno.test("registryBaseUrl() uses HTTPS except for loopback or insecure", async (t) => {
  const cases: [string, { registry: string; insecure: boolean; ca_file?: string }, string][] = [
    [
      "localhost:5000",
      { registry: "localhost:5000", insecure: false, ca_file: "/ca.pem" },
      "https://localhost:5000/",
    ],
    [
      "127.0.0.1:5001",
      { registry: "localhost:5000", insecure: false, ca_file: "/ca.pem" },
      "http://127.0.0.1:5001/",
    ],
    ["localhost:5000", { registry: "localhost:5000", insecure: false }, "http://localhost:5000/"],
    [
      "reg.example.com",
      { registry: "localhost:5000", insecure: false },
      "https://reg.example.com/",
    ],
    ["reg.example.com", { registry: "localhost:5000", insecure: true }, "http://reg.example.com/"],
    [
      "127.0.0.1:5000",
      { registry: "https://127.0.0.1:5000", insecure: false },
      "https://127.0.0.1:5000/",
    ],
    [
      "reg.example.com",
      { registry: "http://reg.example.com", insecure: true },
      "http://reg.example.com/",
    ],
    [
      "reg.example.com",
      { registry: "https://reg.example.com", insecure: true },
      "https://reg.example.com/",
    ],
  ];
  for (const [registry, settings, expected] of cases) {
    await t.step(`${registry} with ${JSON.stringify(settings)}`, () => {
      assert.equal(registryBaseUrl(registry, settings).href, expected);
    });
  }
});

Deno.test("registryBaseUrl() refuses http:// for a non-loopback registry (exit 2)", () => {
  assert.throws(
    () =>
      registryBaseUrl("reg.example.com", { registry: "http://reg.example.com", insecure: false }),
    (error: unknown) => {
      const e = error as { code: string; exitCode: number; message: string; hint: string };
      assert.equal(e.code, "INVALID_CONFIG");
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /Refusing plain HTTP to registry "reg\.example\.com"/);
      assert.match(e.hint, /insecure = true/);
      return true;
    },
  );
});

Deno.test("checkUrlTransport() refuses downgrades and plain HTTP to remote hosts", async (t) => {
  const cases: [string, boolean, string | undefined, string | undefined][] = [
    // url, insecure, from, expected code
    ["https://auth.example.com/token", false, undefined, undefined],
    ["http://127.0.0.1:9/token", false, undefined, undefined],
    ["http://auth.example.com/token", false, undefined, "INSECURE_TRANSPORT"],
    ["http://auth.example.com/token", true, undefined, undefined],
    ["http://127.0.0.1:9/blob", false, "https://127.0.0.1:8/v2/", "INSECURE_TRANSPORT"],
    ["ftp://x/y", true, undefined, "INSECURE_TRANSPORT"],
  ];
  for (const [url, insecure, from, code] of cases) {
    await t.step(`${url} from ${from ?? "-"} insecure=${insecure}`, () => {
      const run = () =>
        checkUrlTransport(new URL(url), insecure, from === undefined ? undefined : new URL(from));
      if (code === undefined) run();
      else assert.throws(run, { code });
    });
  }
});

Deno.test("registryBaseUrl() refuses credentials in the registry address without echoing them", () => {
  assert.throws(
    () => registryBaseUrl("reg.io", { registry: "https://alice:hunter2@reg.io", insecure: false }),
    (error: unknown) => {
      assert.equal((error as { code: string }).code, "INVALID_CONFIG");
      assert.ok(!(error as Error).message.includes("hunter2"));
      return true;
    },
  );
});
