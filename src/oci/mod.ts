/**
 * The OCI registry client: references, a layered HTTP stack (retry → auth → timeout →
 * fetch), credentials, streaming blobs with digest checks, manifests, tags, catalog, delete
 * and health checks — the seed's OCI operations over any OCI distribution registry.
 *
 * @example
 * ```ts ignore
 * import { createRegistryClient, getArtifactTags, pullArtifact } from "./mod.ts";
 *
 * using client = createRegistryClient(settings.oci, { home: "/home/ada" });
 * const tags = await getArtifactTags(client, "aws");
 * const pulled = await pullArtifact(client, `aws:${tags.at(-1)}`);
 * ```
 *
 * @module
 */

export * from "./types.ts";
export * from "./media_types.ts";
export * from "./reference.ts";
export * from "./transport.ts";
export * from "./digest.ts";
export * from "./http.ts";
export * from "./challenge.ts";
export * from "./token_cache.ts";
export * from "./auth.ts";
export * from "./credentials.ts";
export * from "./retry.ts";
export * from "./registry_error.ts";
export * from "./client.ts";
export * from "./manifests.ts";
export * from "./blobs.ts";
export * from "./content.ts";
export * from "./resolve_artifact.ts";
export * from "./tags.ts";
export * from "./catalog.ts";
export * from "./delete.ts";
export * from "./ping.ts";
export * from "./pull.ts";
export * from "./push.ts";
