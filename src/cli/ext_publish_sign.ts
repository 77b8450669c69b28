/**
 * `ext publish DIR --sign --key P.key`: the key is read (and its password checked) before
 * anything is pushed; after the push, the manifest digest is signed as `ext sign` does.
 *
 * @module
 */

import type { ResolvedConfig } from "../config/types.ts";
import { ProvisioningError } from "../errors.ts";
import { createRegistryClient } from "../oci/client.ts";
import type { PublishResult } from "../publish/publish_types.ts";
import { signArtifact, type SignArtifactResult } from "../signatures/sign_artifact.ts";
import { readPrivateKeyFile } from "./ext_signatures.ts";
import { type CliContext, printable } from "./io.ts";

/** A signer ready to sign what the publish pushes. */
export interface PublishSigning {
  /**
   * Signs the pushed artifact.
   *
   * @param result What the publish pushed.
   * @returns What was signed.
   */
  sign(result: PublishResult): Promise<SignArtifactResult>;
}

/**
 * Opens the signing key of `--sign --key`.
 *
 * @param ctx Output and environment (`COSIGN_PASSWORD`).
 * @param config The effective configuration (the registry published to).
 * @param options `--sign` and `--key`.
 * @returns The signer.
 * @throws {ProvisioningError} `USAGE` for `--sign` without `--key` or the reverse;
 *   `INVALID_KEY` for a key that cannot be read or opened.
 */
export async function prepareSigning(
  ctx: CliContext,
  config: ResolvedConfig,
  options: { sign?: boolean; key?: string },
): Promise<PublishSigning> {
  if (options.sign !== true || options.key === undefined) {
    throw new ProvisioningError("USAGE", "--sign and --key go together", {
      hint: "provisioning ext publish DIR --sign --key cosign.key",
    });
  }
  const key = await readPrivateKeyFile(ctx, options.key);
  return {
    async sign(result) {
      using client = createRegistryClient(config.settings.oci, {
        home: ctx.home,
        onNote: (line, level) => ctx.err(`${level ?? "note"}: ${printable(line)}\n`),
      });
      return await signArtifact({
        client,
        repository: client.reference(result.name),
        digest: result.digest,
        key,
      });
    },
  };
}
