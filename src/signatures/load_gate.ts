/**
 * The signature gate of `load`, `pull` and `install` under `[signatures] require = true`:
 * content fetched from the registry is verified (by its manifest digest, against the keys
 * trusted for its `registry/repository`) before anything is written to the cache, and the
 * signer's fingerprint is recorded in the cache entry; a cache hit is checked against that
 * record alone (no network): signed, and by a key still trusted for its origin.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { createRegistryClient, type RegistryClientOptions } from "../oci/client.ts";
import {
  readPublicKeyFiles,
  type SignaturePolicy,
  signaturePolicy,
  trustedKeyFiles,
} from "./policy.ts";
import type { PublicKeyInfo } from "./types.ts";
import { verifyArtifact } from "./verify_artifact.ts";

/** An artifact about to be fetched, as the gate sees it. */
export interface GatedArtifact {
  /** The source fetching it. */
  source: string;
  /** Registry `host[:port]` (OCI). */
  registry?: string | undefined;
  /** Repository path (or layout folder). */
  repository: string;
  /** The manifest digest that will be stored. */
  digest: string;
}

/** What a cache entry recorded, for {@linkcode SignatureGate.checkRecorded}. */
export interface RecordedArtifact {
  /** Source kind of the entry. */
  source: string;
  /** Extension name and version, for messages. */
  name: string;
  version: string;
  /** `registry/repository` (or another origin) the entry came from. */
  origin?: string | undefined;
  /** The signer fingerprint recorded when it was pulled. */
  signer?: string | undefined;
}

/** The gate: verify before fetching, check what a cache hit recorded. */
export interface SignatureGate {
  /** The policy it enforces. */
  readonly policy: SignaturePolicy;
  /**
   * Verifies an artifact before it is fetched.
   *
   * @param artifact Source, registry, repository and digest.
   * @returns The signer's fingerprint, to record.
   * @throws {ProvisioningError} `UNSIGNED`, `SIGNATURE_INVALID`, `UNTRUSTED_SIGNER` (exit 5).
   */
  verify(artifact: GatedArtifact): Promise<{ signer: string }>;
  /**
   * Checks a cache hit against what was recorded at pull time (no network).
   *
   * @param entry What the entry records.
   * @throws {ProvisioningError} `UNSIGNED` / `UNTRUSTED_SIGNER` (exit 5).
   */
  checkRecorded(entry: RecordedArtifact): Promise<void>;
  /** Closes the registry client. */
  close(): void;
  /** Same as {@linkcode SignatureGate.close} (`using gate = createSignatureGate(…)`). */
  [Symbol.dispose](): void;
}

/**
 * The gate for a configuration, or undefined when `[signatures] require` is off.
 *
 * @example
 * ```ts
 * import { createSignatureGate } from "./load_gate.ts";
 * import { loadConfig } from "../config/mod.ts";
 * import assert from "node:assert/strict";
 *
 * const config = await loadConfig({ cwd: "/", home: "/nonexistent", env: {} });
 * assert.equal(createSignatureGate(config), undefined);
 * ```
 *
 * @param config The effective configuration (the reference's registry already placed).
 * @param clientOptions Options of the registry client signatures are read with.
 * @returns The gate, or undefined.
 */
export function createSignatureGate(
  config: ResolvedConfig,
  clientOptions: RegistryClientOptions = {},
): SignatureGate | undefined {
  const policy = signaturePolicy(config.settings);
  if (!policy.require) return undefined;
  const oci = config.settings.oci;
  let client: ReturnType<typeof createRegistryClient> | undefined;
  const keysByFile = new Map<string, Promise<PublicKeyInfo[]>>();
  const trustedKeys = async (location: string): Promise<PublicKeyInfo[]> => {
    const files = trustedKeyFiles(policy, location);
    const keys: PublicKeyInfo[] = [];
    for (const file of files) {
      let loaded = keysByFile.get(file);
      if (loaded === undefined) keysByFile.set(file, loaded = readPublicKeyFiles([file]));
      keys.push(...await loaded);
    }
    return keys;
  };
  const noTrust = (location: string) =>
    new ProvisioningError(
      "UNTRUSTED_SIGNER",
      `No key is trusted for "${location}" and [signatures] require = true`,
      {
        hint: `Add [[signatures.trust]] with prefix = "${
          location.split("/").slice(0, -1).join("/")
        }" and keys = ["cosign.pub"]`,
      },
    );
  return {
    policy,
    async verify(artifact) {
      const location = `${artifact.registry ?? ""}/${artifact.repository}`;
      if (artifact.source !== "oci" || artifact.registry === undefined) {
        throw new ProvisioningError(
          "UNSIGNED",
          `Cannot verify a signature of "${artifact.repository}" from the ${artifact.source} source, and [signatures] require = true`,
          {
            hint:
              "Load signed extensions from an OCI registry, or set [signatures] require = false",
          },
        );
      }
      const keys = await trustedKeys(location);
      if (keys.length === 0) throw noTrust(location);
      client ??= createRegistryClient(oci, clientOptions);
      const parts = artifact.repository.split("/");
      const repository = {
        registry: artifact.registry,
        repository: artifact.repository,
        namespace: parts.slice(0, -1).join("/"),
        name: parts.at(-1)!,
      };
      const verified = await verifyArtifact({
        client,
        repository,
        digest: artifact.digest,
        keys,
        checkReference: policy.checkReference,
      });
      return { signer: verified.signer };
    },
    async checkRecorded(entry) {
      if (entry.source === "local" || entry.source === "examples") return; // used in place
      const label = `${entry.name} ${entry.version}`;
      if (entry.signer === undefined || entry.origin === undefined) {
        throw new ProvisioningError(
          "UNSIGNED",
          `Cached "${label}" was stored without a verified signature, and [signatures] require = true`,
          {
            hint:
              `Fetch and verify it again: provisioning ext pull ${entry.name} --version ${entry.version} --force`,
          },
        );
      }
      const keys = await trustedKeys(entry.origin);
      if (keys.length === 0) throw noTrust(entry.origin);
      if (!keys.some((key) => key.keyId === entry.signer)) {
        throw new ProvisioningError(
          "UNTRUSTED_SIGNER",
          `Cached "${label}" was signed by ${entry.signer}, which is not trusted for "${entry.origin}"`,
          {
            hint:
              "Trust that key in [[signatures.trust]], or pull a version signed by a trusted key",
          },
        );
      }
    },
    close() {
      client?.close();
    },
    [Symbol.dispose]() {
      client?.close();
    },
  };
}
