/**
 * The marketplace test world: a real registry with a few published extensions (one with a
 * README, versions and dependencies, one with a hostile README and description), a local
 * folder source, and a home whose configuration points at both.
 *
 * @module
 */

import { join } from "node:path";
import type { TestRegistry } from "../harness/registry.ts";
import { publish } from "../loader/_fixture.ts";
import { clientFor } from "../oci/_helpers.ts";
import { writeLocalExtension } from "../discovery/_fixtures.ts";
import { formatLock } from "../../src/workspace/lock_file.ts";

/** The README of `kubernetes`. */
export const KUBERNETES_README = "# Kubernetes on your servers\n\nInstalls the control plane.\n\n" +
  "| flag | meaning |\n| --- | --- |\n| `ha` | three masters |\n";

/** A README that tries to run script every way Markdown allows raw HTML to. */
export const HOSTILE_README = [
  "# Totally harmless",
  "",
  "<script>window.__pwned = 'script'; alert('script')</script>",
  "",
  `<img src="x" onerror="window.__pwned = 'img'; alert('img')">`,
  "",
  `<a href="javascript:alert('link')" onclick="window.__pwned = 'click'">click me</a>`,
  "",
  "[also me](javascript:window.__pwned='md')",
  "",
  `<iframe src="javascript:alert('frame')"></iframe>`,
  "",
  `<svg onload="window.__pwned = 'svg'"><circle r="4"/></svg>`,
  "",
].join("\n");

/** A description that is markup. */
export const HOSTILE_DESCRIPTION = `<img src=x onerror="window.__pwned='card'">`;

function manifest(fields: {
  name: string;
  version: string;
  type: string;
  description: string;
  extra?: string;
}): string {
  return `extension:\n  name: ${fields.name}\n  version: "${fields.version}"\n` +
    `  type: ${fields.type}\n  description: ${JSON.stringify(fields.description)}\n` +
    `  author: Platform team\n${fields.extra ?? ""}`;
}

/** What {@linkcode setUpWorld} made. */
export interface World {
  home: string;
  cacheDir: string;
  localDir: string;
  namespace: string;
  /** Environment for the CLI. */
  env: Record<string, string>;
  /** Manifest digests by `name@version`. */
  digests: Map<string, string>;
}

/** Publishes the extensions and writes the local folder and the configuration. */
export async function setUpWorld(reg: TestRegistry): Promise<World> {
  const home = await Deno.makeTempDir({ prefix: "ui-test-" });
  const cacheDir = join(home, "cache");
  const localDir = join(home, "local");
  const namespace = `ui-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(join(home, ".provisioning"), { recursive: true });
  await Deno.writeTextFile(
    join(home, ".provisioning", "config.toml"),
    "[oci]\nretry_count = 0\ntimeout = 10\n",
  );
  const digests = new Map<string, string>();
  using client = clientFor(reg, { settings: { namespace } });
  const k8sExtra = "requires:\n  - containerd\ndependencies:\n  containerd: ^1.7.0\n" +
    "metadata:\n  homepage: https://kubernetes.io\n" +
    "  repository: https://github.com/kubernetes/kubernetes\n  license: Apache-2.0\n";
  const specs = [
    ...["1.28.0", "1.29.1"].map((version) => ({
      name: "kubernetes",
      type: "taskserv" as const,
      version,
      // 1.28.0 carries org.opencontainers.image.created (2024-01-02T03:04:05Z).
      ...(version === "1.28.0" ? { sourceDateEpoch: 1704164645 } : {}),
      files: {
        "extension.yaml": manifest({
          name: "kubernetes",
          version,
          type: "taskserv",
          description: "Kubernetes control plane",
          extra: k8sExtra,
        }),
        "docs/README.md": KUBERNETES_README,
      },
    })),
    {
      name: "containerd",
      type: "taskserv" as const,
      version: "1.7.13",
      files: {
        "extension.yaml": manifest({
          name: "containerd",
          version: "1.7.13",
          type: "taskserv",
          description: "Container runtime",
        }),
      },
    },
    {
      name: "aws",
      type: "provider" as const,
      version: "2.4.1",
      files: {
        "extension.yaml": manifest({
          name: "aws",
          version: "2.4.1",
          type: "provider",
          description: "Amazon Web Services",
        }),
      },
    },
    {
      name: "evil",
      type: "taskserv" as const,
      version: "0.1.0",
      files: {
        "extension.yaml": manifest({
          name: "evil",
          version: "0.1.0",
          type: "taskserv",
          description: HOSTILE_DESCRIPTION,
        }),
        "docs/README.md": HOSTILE_README,
      },
    },
  ];
  await Promise.all(specs.map(async (spec) => {
    const pushed = await publish(client, spec);
    digests.set(`${spec.name}@${spec.version}`, pushed.digest);
  }));
  await writeLocalExtension(localDir, {
    name: "hetzner",
    type: "provider",
    description: "Hetzner Cloud servers",
  }, "0.9.0");
  await writeLocalExtension(localDir, { name: "mine", type: "cluster" }, "0.0.1");
  // A workspace (the CLI runs in `home`) whose lock pins kubernetes 1.28.0.
  await Deno.writeTextFile(join(home, "extensions.toml"), '[extensions]\nkubernetes = "~1.28.0"\n');
  await Deno.writeTextFile(
    join(home, "extensions.lock"),
    formatLock({
      lockVersion: 1,
      extensions: [{
        name: "kubernetes",
        type: "taskserv",
        version: "1.28.0",
        source: "oci",
        origin: `${reg.host}/${namespace}/kubernetes`,
        digest: digests.get("kubernetes@1.28.0") ?? null,
        tree: "h1:not-checked-by-the-page",
        signer: null,
        requires: [],
        constraints: [{ spec: "~1.28.0", by: "workspace" }],
        dependencies: ["containerd"],
      }],
    }),
  );
  return {
    home,
    cacheDir,
    localDir,
    namespace,
    digests,
    env: {
      PROVISIONING_OCI_REGISTRY: reg.host,
      PROVISIONING_OCI_NAMESPACE: namespace,
      PROVISIONING_EXTENSIONS_PATH: localDir,
      PROVISIONING_CACHE_DIR: cacheDir,
    },
  };
}
