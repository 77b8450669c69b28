/**
 * Workspace test fixtures: a taskserv manifest with a dependencies block, and publishing one
 * to the real registry (private to the workspace tests and their CLI test).
 */

import type { RegistryClient } from "../../src/oci/mod.ts";
import { publish, type Published } from "../loader/_fixture.ts";

/** `extension.yaml` of taskserv `name@version`, with `dependencies` YAML appended as given. */
export function dependentManifest(name: string, version: string, dependencies = ""): string {
  return `extension:\n  name: ${name}\n  version: "${version}"\n  type: taskserv\n` +
    `  description: ${name}\n${dependencies}`;
}

/** Publishes taskserv `name@version` whose manifest carries `dependencies`, plus `files`. */
export function publishDependent(
  client: RegistryClient,
  name: string,
  version: string,
  dependencies = "",
  files: Record<string, string> = {},
): Promise<Published> {
  return publish(client, {
    name,
    type: "taskserv",
    version,
    files: { "extension.yaml": dependentManifest(name, version, dependencies), ...files },
  });
}
