/**
 * Signing and the trust policy through the real CLI (broad launch, so every command runs in
 * its least-privilege worker) and the real registry: `ext key generate`, `ext publish
 * --sign`, `ext sign`, `ext verify` (exit 0 with digest and signer; exit 5 otherwise), the
 * signature checked by Python's `cryptography`, and `[signatures] require = true`: an
 * unsigned, tampered, swapped, wrongly keyed, deleted or other-digest signature is refused
 * with exit 5 and nothing appears in the cache; trust goes by prefix; a cache hit is checked
 * against the signer recorded at pull time, with the registry stopped.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { registryTest } from "../harness/registry.ts";
import { cliEnv, makeHome, publish, writeExtension } from "../loader/_fixture.ts";
import { clientFor, uniqueNamespace } from "../oci/_helpers.ts";
import { deleteArtifact, digestOf, pushArtifact } from "../../src/oci/mod.ts";
import {
  ANNOTATION_COSIGN_SIGNATURE,
  buildSimpleSigningPayload,
  MEDIA_TYPE_SIMPLE_SIGNING,
  readCosignPrivateKey,
  signatureTag,
  signPayload,
} from "../../src/signatures/mod.ts";
import { pythonVerifies, writeKeyPair } from "../signatures/_fixture.ts";
import { printedFlags, runCli, runOnTerminal } from "./run_cli.ts";

const PASSWORD = "correct horse";

registryTest(
  "ext key generate / publish --sign / sign / verify, and require = true",
  async (t, reg) => {
    const ns = uniqueNamespace("sigcli");
    using client = clientFor(reg, { settings: { namespace: ns } });
    const home = await makeHome();
    try {
      const keys = join(home.home, "keys");
      await Deno.mkdir(keys);
      const env = { ...cliEnv(home, reg.host, ns), COSIGN_PASSWORD: PASSWORD };
      const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
        runCli(args, { home: home.home, env: { ...env, ...extraEnv } });
      const json = async (args: string[]) => {
        const run = await cli(args);
        assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
        return JSON.parse(run.stdout);
      };
      const refused = async (args: string[], pattern: RegExp) => {
        const run = await cli(args);
        assert.equal(run.code, 5, `${args.join(" ")} must exit 5: ${run.stdout}${run.stderr}`);
        assert.match(run.stderr, pattern);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
      };
      const entryOf = (name: string, version: string) =>
        join(home.cacheDir, "extensions", "taskserv", name, version);
      const notCached = async (name: string, version: string) =>
        await assert.rejects(Deno.lstat(entryOf(name, version)), Deno.errors.NotFound);

      const team = join(keys, "team");
      let teamKeyId = "";
      await t.step("key generate writes P.key (0600) and P.pub in cosign's formats", async () => {
        const made = await json([
          "ext",
          "key",
          "generate",
          "--output-key-prefix",
          team,
          "-o",
          "json",
        ]);
        assert.equal(made.privateKey, `${team}.key`);
        teamKeyId = made.keyId;
        assert.match(teamKeyId, /^sha256:[0-9a-f]{64}$/);
        assert.equal((await Deno.stat(`${team}.key`)).mode! & 0o777, 0o600);
        assert.match(
          await Deno.readTextFile(`${team}.key`),
          /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----/,
        );
        assert.match(await Deno.readTextFile(`${team}.pub`), /^-----BEGIN PUBLIC KEY-----/);
        const key = await readCosignPrivateKey(await Deno.readTextFile(`${team}.key`), PASSWORD);
        assert.equal(key.publicKey.keyId, teamKeyId);
        const again = await cli(["ext", "key", "generate", "--output-key-prefix", team]);
        assert.equal(again.code, 2, again.stderr);
        assert.match(again.stderr, /error: Refusing to replace/);
      });

      const other = await writeKeyPair(keys, "other", PASSWORD);
      const work = await Deno.makeTempDir({ prefix: "sigcli-src-" });
      let signedDigest = "";
      await t.step(
        "publish --sign signs what it pushed; verify prints digest and signer",
        async () => {
          const dir = await writeExtension(work, "signed", "signed", "taskserv", "1.0.0");
          const published = await json([
            "ext",
            "publish",
            dir,
            "--sign",
            "--key",
            `${team}.key`,
            "-o",
            "json",
          ]);
          signedDigest = published.digest;
          assert.equal(published.signature.signer, teamKeyId);
          const verified = await json([
            "ext",
            "verify",
            "signed:1.0.0",
            "--key",
            `${team}.pub`,
            "-o",
            "json",
          ]);
          assert.equal(verified.digest, signedDigest);
          assert.equal(verified.signer, teamKeyId);
          assert.equal(verified.verified, true);
          const table = await cli(["ext", "verify", "signed:1.0.0", "--key", `${team}.pub`]);
          assert.equal(table.code, 0, table.stderr);
          assert.match(table.stdout, new RegExp(`signer: ${teamKeyId}`));
        },
      );

      await t.step(
        "key generate, sign and verify run with exactly the flags ext permissions prints",
        async () => {
          const scoped = (args: string[]) =>
            runCli(args, { home: home.home, env, launch: "scoped" });
          const made = await scoped([
            "ext",
            "key",
            "generate",
            "--output-key-prefix",
            join(keys, "scoped"),
          ]);
          assert.equal(made.code, 0, made.stderr);
          const signed = await scoped([
            "ext",
            "sign",
            "signed:1.0.0",
            "--key",
            join(keys, "scoped.key"),
          ]);
          assert.equal(signed.code, 0, signed.stderr);
          const verified = await scoped([
            "ext",
            "verify",
            "signed:1.0.0",
            "--key",
            join(keys, "scoped.pub"),
          ]);
          assert.equal(verified.code, 0, verified.stderr);
          // The printed set grants the named key file, not its neighbours.
          const flags = await printedFlags(
            ["ext", "verify", "signed:1.0.0", "--key", join(keys, "scoped.pub")],
            { home: home.home, env },
          );
          const neighbour = await runCli(
            ["ext", "verify", "signed:1.0.0", "--key", `${team}.pub`],
            { home: home.home, env, permissions: flags },
          );
          assert.notEqual(neighbour.code, 0, neighbour.stdout);
          assert.match(neighbour.stderr, /team\.pub/);
        },
      );

      await t.step("verify with another key, or of an unsigned version, exits 5", async () => {
        await refused(["ext", "verify", "signed:1.0.0", "--key", other.pub], /No valid signature/);
        await publish(client, { name: "plain", type: "taskserv", version: "1.0.0" });
        await refused(["ext", "verify", "plain:1.0.0", "--key", `${team}.pub`], /is not signed/);
      });

      await t.step("a wrong password or no password source is refused before signing", async () => {
        const wrong = await cli(["ext", "sign", "plain:1.0.0", "--key", `${team}.key`], {
          COSIGN_PASSWORD: "nope",
        });
        assert.equal(wrong.code, 2, wrong.stderr);
        assert.match(wrong.stderr, /wrong password/);
        const none = await runCli(["ext", "sign", "plain:1.0.0", "--key", `${team}.key`], {
          home: home.home,
          env: cliEnv(home, reg.host, ns),
        });
        assert.equal(none.code, 2, none.stderr);
        assert.match(none.stderr, /COSIGN_PASSWORD is not set/);
      });

      await t.step("on a terminal the password is asked for, without echo", async (t) => {
        const result = await runOnTerminal(
          ["ext", "sign", "plain:1.0.0", "--key", `${team}.key`],
          { home: home.home, env: cliEnv(home, reg.host, ns) },
          "Enter password for private key: ",
          `${PASSWORD}\r`,
        );
        if (result === undefined) {
          console.warn("SKIPPED: util-linux `script` is not installed (needed for a terminal)");
          await t.step({ name: "skipped: no `script`", ignore: true, fn: () => {} });
          return;
        }
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /Signed .*plain@sha256:/);
        assert.ok(!result.output.includes(PASSWORD), "the password must not be echoed");
      });

      await t.step("ext sign writes a signature Python's cryptography verifies", async () => {
        const signed = await json([
          "ext",
          "sign",
          "plain:1.0.0",
          "--key",
          `${team}.key`,
          "-o",
          "json",
        ]);
        assert.equal(signed.signer, teamKeyId);
        const repo = `${ns}/plain`;
        const manifest =
          await (await fetch(`${reg.url}/v2/${repo}/manifests/${signatureTag(signed.digest)}`, {
            headers: { Accept: "application/vnd.oci.image.manifest.v1+json" },
          })).json();
        const [layer] = manifest.layers;
        const payload = new Uint8Array(
          await (await fetch(`${reg.url}/v2/${repo}/blobs/${layer.digest}`)).arrayBuffer(),
        );
        const python = await pythonVerifies(
          await Deno.readTextFile(`${team}.pub`),
          payload,
          layer.annotations[ANNOTATION_COSIGN_SIGNATURE],
        );
        assert.ok(python.ok, python.output);
      });

      // Content for the policy cases: each version gets a bad signature of one kind.
      const teamKey = await readCosignPrivateKey(await Deno.readTextFile(`${team}.key`), PASSWORD);
      const otherKey = await readCosignPrivateKey(await Deno.readTextFile(other.key), PASSWORD);
      const repository = client.reference("bad");
      const dockerReference = `${reg.host}/${ns}/bad`;
      const bad = async (version: string) =>
        (await publish(client, { name: "bad", type: "taskserv", version })).digest;
      const storeSignature = async (digest: string, payload: Uint8Array, signature: string) => {
        const config = new TextEncoder().encode("{}");
        await pushArtifact(client, { ...repository, tag: signatureTag(digest) }, {
          config: {
            mediaType: "application/vnd.oci.image.config.v1+json",
            digest: digestOf(config),
            size: config.byteLength,
            open: () => Promise.resolve(new Blob([config]).stream()),
          },
          layers: [{
            mediaType: MEDIA_TYPE_SIMPLE_SIGNING,
            digest: digestOf(payload),
            size: payload.byteLength,
            annotations: { [ANNOTATION_COSIGN_SIGNATURE]: signature },
            open: () => Promise.resolve(new Blob([payload as Uint8Array<ArrayBuffer>]).stream()),
          }],
          artifactType: "application/vnd.example.sig",
        });
      };
      const payloadFor = (digest: string) => buildSimpleSigningPayload({ dockerReference, digest });
      const tampered = await bad("1.0.1");
      await storeSignature(
        tampered,
        new TextEncoder().encode(
          new TextDecoder().decode(payloadFor(tampered)).replace("null", '{"a":"b"}'),
        ),
        await signPayload(teamKey.privateKey, payloadFor(tampered)),
      );
      const swapped = await bad("1.0.2");
      await storeSignature(
        swapped,
        payloadFor(swapped),
        await signPayload(teamKey.privateKey, payloadFor(tampered)),
      );
      const wrongKey = await bad("1.0.3");
      await storeSignature(
        wrongKey,
        payloadFor(wrongKey),
        await signPayload(otherKey.privateKey, payloadFor(wrongKey)),
      );
      const otherDigest = await bad("1.0.4");
      await storeSignature(
        otherDigest,
        payloadFor(tampered),
        await signPayload(teamKey.privateKey, payloadFor(tampered)),
      );
      const deleted = await bad("1.0.5");
      await storeSignature(
        deleted,
        payloadFor(deleted),
        await signPayload(teamKey.privateKey, payloadFor(deleted)),
      );
      await deleteArtifact(client, { ...repository, tag: signatureTag(deleted) });

      const configFile = join(home.home, ".provisioning", "config.toml");
      const policy = (prefix: string, key: string) =>
        Deno.writeTextFile(
          configFile,
          `[oci]\nretry_count = 0\ntimeout = 10\n[signatures]\nrequire = true\n` +
            `[[signatures.trust]]\nprefix = "${prefix}"\nkeys = ["${key}"]\n`,
        );
      const pull = (
        name: string,
        version: string,
      ) => ["ext", "pull", name, "--version", version, "-o", "json"];

      await t.step("a plain pull before the policy caches an entry with no signer", async () => {
        const pulled = await json(pull("plain", "1.0.0"));
        assert.equal(pulled.success ?? true, true);
      });

      await policy(`${reg.host}/${ns}`, `${team}.pub`);

      await t.step("require = true: a signed extension pulls and records its signer", async () => {
        const pulled = await json(pull("signed", "1.0.0"));
        assert.equal(pulled.digest, signedDigest);
        const rows = await json(["ext", "cache", "list", "-o", "json"]);
        const row = rows.find((r: { name: string }) => r.name === "signed");
        assert.equal(row.signer, teamKeyId);
      });

      await t.step("info, list and cache list show what was verified", async () => {
        const info = await json(["ext", "info", "signed", "--source", "oci", "-o", "json"]);
        assert.equal(info.signer, teamKeyId);
        const plainInfo = await json(["ext", "info", "plain", "--source", "oci", "-o", "json"]);
        assert.equal(plainInfo.cached, true);
        assert.equal(plainInfo.signer, null);
        const text = await cli(["ext", "info", "signed", "--source", "oci"]);
        assert.match(text.stdout, new RegExp(`Signed\\s+verified, signer ${teamKeyId}`));
        const rows = await json(["ext", "list", "--source", "oci", "-o", "json"]);
        const row = rows.find((r: { name: string }) => r.name === "signed");
        assert.deepEqual(row.signed, ["1.0.0"]);
        const table = await cli(["ext", "list", "--source", "oci"]);
        assert.match(table.stdout, /1\.0\.0 \(cached, signed\)/);
        const cacheTable = await cli(["ext", "cache", "list"]);
        assert.match(cacheTable.stdout, /SIGNED/);
      });

      await t.step("require = true: the lock records the signer ext install verified", async () => {
        const ws = join(home.home, "signed-ws");
        await Deno.mkdir(ws);
        await Deno.writeTextFile(join(ws, "extensions.toml"), '[extensions]\nsigned = "1.0.0"\n');
        const run = await runCli(["ext", "install", "-o", "json"], {
          home: home.home,
          env,
          cwd: ws,
        });
        assert.equal(run.code, 0, run.stderr);
        const [locked] = JSON.parse(run.stdout).extensions;
        assert.equal(locked.signer, teamKeyId);
        await Deno.remove(ws, { recursive: true });
      });

      await t.step(
        "require = true refuses every bad signature with exit 5, caching nothing",
        async () => {
          await refused(pull("bad", "1.0.1"), /No valid signature/);
          await refused(pull("bad", "1.0.2"), /No valid signature/);
          await refused(pull("bad", "1.0.3"), /No valid signature/);
          await refused(pull("bad", "1.0.4"), /No valid signature/);
          await refused(pull("bad", "1.0.5"), /is not signed/);
          for (const version of ["1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5"]) {
            await notCached("bad", version);
          }
        },
      );

      await t.step("require = true refuses a cache entry pulled without a signature", async () => {
        await refused(
          ["ext", "load", "plain", "--version", "1.0.0"],
          /without a verified signature/,
        );
      });

      await t.step(
        "trust goes by prefix: a key trusted for another namespace is not enough",
        async () => {
          await policy(`${reg.host}/${ns}-elsewhere`, `${team}.pub`);
          await publish(client, { name: "fresh", type: "taskserv", version: "1.0.0" });
          await json(["ext", "sign", "fresh:1.0.0", "--key", `${team}.key`, "-o", "json"]);
          await refused(pull("fresh", "1.0.0"), /No key is trusted for/);
          await notCached("fresh", "1.0.0");
          await policy(reg.host, `${team}.pub`);
          await json(pull("fresh", "1.0.0"));
        },
      );

      await t.step(
        "a cache hit is checked against the recorded signer, with no registry",
        async () => {
          await reg.stop();
          const hit = await json(["ext", "load", "signed", "--version", "1.0.0", "-o", "json"]);
          assert.equal(hit.digest, signedDigest);
          await policy(reg.host, other.pub);
          await refused(["ext", "load", "signed", "--version", "1.0.0"], /not trusted for/);
        },
      );
      await Deno.remove(work, { recursive: true });
    } finally {
      await home.cleanup();
    }
  },
);
