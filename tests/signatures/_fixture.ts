/**
 * Helpers of the signature tests: a published extension in a fresh namespace of the test
 * registry, a key pair written to disk, and the independent verifier (Python's
 * `cryptography`, Debian's `python3-cryptography`).
 *
 * @module
 */

import { join } from "node:path";
import { generateKeyPair } from "../../src/signatures/mod.ts";

/** A key pair on disk, as `ext key generate` writes it. */
export interface KeyFiles {
  /** `P.key`. */
  key: string;
  /** `P.pub`. */
  pub: string;
  /** The public key's fingerprint. */
  keyId: string;
}

/**
 * Writes a new key pair (password `password`) as `<dir>/<name>.key` and `.pub`.
 *
 * @param dir The folder.
 * @param name The file prefix.
 * @param password The password.
 * @returns The paths and the fingerprint.
 */
export async function writeKeyPair(dir: string, name: string, password: string): Promise<KeyFiles> {
  const pair = await generateKeyPair(password);
  const key = join(dir, `${name}.key`);
  const pub = join(dir, `${name}.pub`);
  await Deno.writeTextFile(key, pair.privateKeyPem, { mode: 0o600 });
  await Deno.writeTextFile(pub, pair.publicKeyPem);
  return { key, pub, keyId: pair.keyId };
}

/**
 * Verifies a DER signature over payload bytes with Python's `cryptography` (not our code):
 * exit 0 when it verifies.
 *
 * @param publicKeyPem The PEM public key.
 * @param payload The payload bytes.
 * @param signatureBase64 The base64 DER signature.
 * @returns Whether Python accepted it, and what it printed.
 */
export async function pythonVerifies(
  publicKeyPem: string,
  payload: Uint8Array,
  signatureBase64: string,
): Promise<{ ok: boolean; output: string }> {
  const dir = await Deno.makeTempDir({ prefix: "pyverify-" });
  try {
    await Deno.writeTextFile(join(dir, "key.pub"), publicKeyPem);
    await Deno.writeFile(join(dir, "payload"), payload);
    await Deno.writeTextFile(join(dir, "sig"), signatureBase64);
    const script = [
      "import base64, sys",
      "from cryptography.hazmat.primitives import hashes",
      "from cryptography.hazmat.primitives.asymmetric import ec",
      "from cryptography.hazmat.primitives.serialization import load_pem_public_key",
      "d = sys.argv[1]",
      "key = load_pem_public_key(open(d + '/key.pub', 'rb').read())",
      "sig = base64.b64decode(open(d + '/sig').read(), validate=True)",
      "key.verify(sig, open(d + '/payload', 'rb').read(), ec.ECDSA(hashes.SHA256()))",
      "print('verified')",
    ].join("\n");
    const out = await new Deno.Command("python3", {
      args: ["-c", script, dir],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { ok: out.code === 0 && text.includes("verified"), output: text };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
