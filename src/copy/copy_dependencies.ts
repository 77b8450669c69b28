/**
 * `ext copy --deps`: the resolved dependencies of a copied extension, copied beside it. Each
 * artifact's declared dependencies are read from its config blob (the manifest as JSON, no
 * layer download), resolved in the same store the extension came from (registry namespace or
 * OCI layout) with the tags there, and copied with {@linkcode copyArtifact}, level by level.
 * A version reached twice (a shared dependency, a cycle) is copied once.
 *
 * @module
 */

import { describeArtifact } from "../sources/oci_metadata.ts";
import { isProvisioningError, ProvisioningError } from "../errors.ts";
import type { ReadOnlyTarget } from "../oci/content.ts";
import type { Descriptor } from "../oci/types.ts";
import { copyArtifact, type CopyResult } from "./copy_artifact.ts";
import type { WritableTarget } from "./copy_target.ts";

const MISSING = new Set(["NOT_FOUND", "VERSION_NOT_FOUND"]);

/** One artifact of the graph, found in the source store. */
export interface DependencyNode {
  /** Extension name. */
  name: string;
  /** The store it is in. */
  target: ReadOnlyTarget;
  /** Its manifest (or index) descriptor. */
  descriptor: Descriptor;
  /** The tag the spec resolved to. */
  tag: string;
}

/** One dependency copied (or found already there). */
export interface CopiedDependency extends CopyResult {
  /** Extension name. */
  name: string;
  /** The tag it was copied under. */
  tag: string;
  /** The spec it was asked for with. */
  spec: string;
  /** The extension whose manifest asked for it. */
  requiredBy: string;
}

/** What {@linkcode copyDependencies} needs. */
export interface CopyDependenciesOptions {
  /**
   * Finds `name` satisfying `spec` in the source store (`NOT_FOUND` / `VERSION_NOT_FOUND`
   * when it is not there).
   */
  open(name: string, spec: string): Promise<DependencyNode>;
  /** Where `name` goes. */
  destination(name: string): WritableTarget;
  /** Called after each copy (progress lines). */
  onCopied?(copied: CopiedDependency): void;
  /** Aborts the copy. */
  signal?: AbortSignal;
}

/**
 * Copies every dependency of `root` (transitively) that its manifests declare.
 *
 * @example
 * ```ts ignore
 * const deps = await copyDependencies(root, {
 *   open: (name, spec) => fromRegistry(client, { name, spec }),
 *   destination: (name) => layoutWritable(dir, name),
 * });
 * ```
 *
 * @param root The extension already copied.
 * @param options How to find and where to put each dependency.
 * @returns The dependencies, in the order they were copied (breadth first).
 * @throws {ProvisioningError} `NOT_FOUND` / `VERSION_NOT_FOUND` naming the extension that
 *   asked for a missing dependency; integrity and store errors of the copy.
 */
export async function copyDependencies(
  root: DependencyNode,
  options: CopyDependenciesOptions,
): Promise<CopiedDependency[]> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const seen = new Set([`${root.name}@${root.descriptor.digest}`]);
  const copied: CopiedDependency[] = [];
  let level: DependencyNode[] = [root];
  while (level.length > 0) {
    const next: DependencyNode[] = [];
    for (const node of level) {
      for (const [name, spec] of Object.entries(await declaredDependencies(node))) {
        const child = await options.open(name, spec).catch((error) => {
          if (!isProvisioningError(error) || !MISSING.has(error.code)) throw error;
          throw new ProvisioningError(
            error.code,
            `Dependency "${name}" (${spec}) of "${node.name}": ${error.message}`,
            { cause: error, hint: "Copy or publish that dependency into the same place first" },
          );
        });
        const key = `${child.name}@${child.descriptor.digest}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const result = await copyArtifact(
          child.target,
          options.destination(name),
          child.descriptor,
          child.tag,
          signal,
        );
        const entry = { name, tag: child.tag, spec, requiredBy: node.name, ...result };
        copied.push(entry);
        options.onCopied?.(entry);
        next.push(child);
      }
    }
    level = next;
  }
  return copied;
}

/** `dependencies` of the artifact's manifest (its config blob); `{}` when it declares none. */
async function declaredDependencies(node: DependencyNode): Promise<Record<string, string>> {
  const meta = await describeArtifact(node.target, node.descriptor, {
    name: node.name,
    version: node.tag,
    tag: node.tag,
    registry: "",
    repository: node.name,
    label: `${node.target.label}:${node.tag}`,
  }, []);
  return meta.manifest?.dependencies ?? {};
}
