/**
 * Test certificates made with the `openssl` CLI (private to the harness).
 *
 * @module
 */

import { ProvisioningError } from "../../src/errors.ts";

/** Files of a CA and a server certificate it signed. */
export interface TlsFiles {
  /** CA certificate, PEM. */
  caFile: string;
  /** Server certificate for `IP:127.0.0.1, DNS:localhost`, PEM. */
  certFile: string;
  /** Server key, PEM. */
  keyFile: string;
}

/** Files of a self-signed ES256 signing key for JWTs. */
export interface SigningFiles {
  /** P-256 key, PKCS#8 PEM. */
  keyFile: string;
  /** Self-signed certificate of that key, PEM (the registry's `rootcertbundle`). */
  certFile: string;
}

/**
 * Creates a P-256 CA and a server certificate with
 * `subjectAltName=IP:127.0.0.1,DNS:localhost` in `dir`, valid for one day.
 *
 * @example
 * ```ts ignore
 * const files = await createTlsFiles(await Deno.makeTempDir());
 * ```
 *
 * @param dir An existing directory to write into.
 * @returns The file paths.
 * @throws {ProvisioningError} `INTERNAL` when openssl fails.
 */
export async function createTlsFiles(dir: string): Promise<TlsFiles> {
  const files = {
    caFile: `${dir}/ca.crt`,
    certFile: `${dir}/server.crt`,
    keyFile: `${dir}/server.key`,
  };
  const caKey = `${dir}/ca.key`;
  const csr = `${dir}/server.csr`;
  const ext = `${dir}/server.ext`;
  await openssl(
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-keyout", caKey, "-out", files.caFile, "-days", "1", "-subj", "/CN=provisioning test CA"],
    ...["-addext", "basicConstraints=critical,CA:TRUE"],
    ...["-addext", "keyUsage=critical,keyCertSign,cRLSign"],
  );
  await openssl(
    ...["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-keyout", files.keyFile, "-out", csr, "-subj", "/CN=localhost"],
  );
  await Deno.writeTextFile(
    ext,
    [
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "",
    ].join("\n"),
  );
  await openssl(
    ...["x509", "-req", "-in", csr, "-CA", files.caFile, "-CAkey", caKey, "-CAcreateserial"],
    ...["-out", files.certFile, "-days", "1", "-extfile", ext],
  );
  return files;
}

/**
 * Issues another certificate from the CA {@linkcode createTlsFiles} made in `dir`: `name.crt`
 * and `name.key`, with the given extension lines (`subjectAltName=…`, `extendedKeyUsage=…`)
 * and validity (`days` 0 makes one that expires at once).
 *
 * @example
 * ```ts ignore
 * const client = await issueCertificate(dir, "client", ["extendedKeyUsage=clientAuth"]);
 * ```
 *
 * @param dir The folder of {@linkcode createTlsFiles}.
 * @param name File name stem and common name.
 * @param extensions Extension lines for `openssl x509 -extfile`.
 * @param days Validity in days.
 * @returns The certificate and key files.
 * @throws {ProvisioningError} `INTERNAL` when openssl fails.
 */
export async function issueCertificate(
  dir: string,
  name: string,
  extensions: readonly string[],
  days = 1,
): Promise<{ certFile: string; keyFile: string }> {
  const files = { certFile: `${dir}/${name}.crt`, keyFile: `${dir}/${name}.key` };
  await openssl(
    ...["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-keyout", files.keyFile, "-out", `${dir}/${name}.csr`, "-subj", `/CN=${name}`],
  );
  await Deno.writeTextFile(`${dir}/${name}.ext`, [...extensions, ""].join("\n"));
  await openssl(
    ...["x509", "-req", "-in", `${dir}/${name}.csr`, "-CA", `${dir}/ca.crt`, "-CAkey"],
    ...[`${dir}/ca.key`, "-CAcreateserial", "-out", files.certFile, "-days", String(days)],
    ...["-extfile", `${dir}/${name}.ext`],
  );
  return files;
}

/**
 * A self-signed certificate made the way Docker's registry guide makes one
 * (`openssl req -x509 -newkey rsa:2048 …` with only a subjectAltName added): openssl's
 * defaults mark it `CA:TRUE`, and it is used as the server's own certificate.
 *
 * @example
 * ```ts ignore
 * const self = await createSelfSignedCaCertificate(dir);
 * ```
 *
 * @param dir An existing directory.
 * @returns The certificate and key files.
 * @throws {ProvisioningError} `INTERNAL` when openssl fails.
 */
export async function createSelfSignedCaCertificate(
  dir: string,
): Promise<{ certFile: string; keyFile: string }> {
  const files = { certFile: `${dir}/self.crt`, keyFile: `${dir}/self.key` };
  await openssl(
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", files.keyFile],
    ...["-out", files.certFile, "-days", "1", "-subj", "/CN=127.0.0.1"],
    ...["-addext", "subjectAltName=IP:127.0.0.1"],
  );
  return files;
}

/**
 * Creates a P-256 key and a self-signed certificate for it in `dir`, valid for one day.
 *
 * @example
 * ```ts ignore
 * const files = await createSigningFiles(await Deno.makeTempDir());
 * ```
 *
 * @param dir An existing directory to write into.
 * @returns The file paths.
 * @throws {ProvisioningError} `INTERNAL` when openssl fails.
 */
export async function createSigningFiles(dir: string): Promise<SigningFiles> {
  const files = { keyFile: `${dir}/token-signing.key`, certFile: `${dir}/token-signing.crt` };
  await openssl(
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
    ...["-keyout", files.keyFile, "-out", files.certFile, "-days", "1", "-subj", "/CN=test-issuer"],
  );
  return files;
}

/**
 * The DER bytes of the first PEM block in `pem`.
 *
 * @example
 * ```ts ignore
 * const der = pemToDer(await Deno.readTextFile("ca.crt"));
 * ```
 *
 * @param pem PEM text.
 * @returns The decoded block.
 * @throws {ProvisioningError} `INTERNAL` when there is no PEM block.
 */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const match = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (match?.[1] === undefined) throw new ProvisioningError("INTERNAL", "Cannot find a PEM block");
  return Uint8Array.fromBase64(match[1].replace(/\s+/g, ""));
}

async function openssl(...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, stdin: "null" }).output();
  if (!out.success) {
    throw new ProvisioningError("INTERNAL", `Command "openssl ${args[0]}" failed`, {
      cause: new Error(new TextDecoder().decode(out.stderr)),
    });
  }
}
