/**
 * How the `git` source names what it loads: a git reference given as an extension name
 * (`git+https://…`, `git://…`, `file://…`), and the extension name of a configured remote
 * (`[git] remotes`), which is its repository's name — or the last folder of its sub-path.
 *
 * A remote may name a folder inside the repository after `#`
 * (`https://git.example.com/infra/monorepo.git#extensions/aws`); the extension's
 * `extension.yaml` is then in that folder at each tag.
 *
 * @module
 */

import { normalizeSubpath } from "../git/normalize_subpath.ts";
import { parseGitRemote } from "../git/parse_git_remote.ts";

/** A git remote with its optional sub-path and the extension name it stands for. */
export interface GitRemoteTarget {
  /** The remote as configured or typed (credentials included; never print it). */
  reference: string;
  /** The URL handed to git (`git+` and the `#sub-path` removed; credentials kept). */
  url: string;
  /** Folder holding `extension.yaml` inside the repository (`""` for the root). */
  subpath: string;
  /**
   * The remote as recorded in the cache and printed: credentials redacted, plus `#sub-path`
   * when one is set.
   */
  display: string;
  /** The extension name the remote stands for (repository name or last sub-path folder). */
  name: string;
}

/**
 * Whether an extension name is really a git reference (`git+https://…`, `git://…`,
 * `file://…`, `https://…`): a URL scheme followed by `//`, except `oci://` (a registry
 * reference).
 *
 * @example
 * ```ts
 * import { isGitReference } from "./git_remotes.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isGitReference("git+https://git.example.com/exts/aws.git"), true);
 * assert.equal(isGitReference("file:///srv/git/aws.git"), true);
 * assert.equal(isGitReference("aws"), false);
 * assert.equal(isGitReference("oci://ghcr.io/acme/aws"), false);
 * ```
 *
 * @param name The name as given on the command line.
 * @returns Whether it is a URL.
 */
export function isGitReference(name: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(name.trim()) && !/^oci:\/\//i.test(name.trim());
}

/**
 * Checks a git remote (optionally with `#sub-path`) and works out the extension name it
 * stands for: the last folder of the sub-path, else the repository's name without `.git`.
 *
 * @example
 * ```ts
 * import { gitRemoteTarget } from "./git_remotes.ts";
 * import assert from "node:assert/strict";
 *
 * const aws = gitRemoteTarget("git+https://bob:tok@git.example.com/exts/aws.git");
 * assert.equal(aws.name, "aws");
 * assert.equal(aws.url, "https://bob:tok@git.example.com/exts/aws.git");
 * assert.equal(aws.display, "https://***@git.example.com/exts/aws.git");
 *
 * const mono = gitRemoteTarget("file:///srv/git/monorepo.git#extensions/k8s");
 * assert.deepEqual([mono.name, mono.subpath], ["k8s", "extensions/k8s"]);
 * assert.equal(mono.display, "file:///srv/git/monorepo.git#extensions/k8s");
 * ```
 *
 * @param reference The remote as configured or typed.
 * @returns The remote, its sub-path, its printable form and its extension name.
 * @throws {ProvisioningError} As `parseGitRemote` for a bad remote (`INVALID_REFERENCE`,
 *   `UNSUPPORTED` for SSH, `INSECURE_TRANSPORT` for plain HTTP to another host);
 *   `INVALID_CONFIG` for a bad sub-path.
 */
export function gitRemoteTarget(reference: string): GitRemoteTarget {
  const trimmed = reference.trim();
  const hash = trimmed.indexOf("#");
  const withoutFragment = hash === -1 ? trimmed : trimmed.slice(0, hash);
  const subpath = normalizeSubpath(hash === -1 ? undefined : trimmed.slice(hash + 1));
  const parsed = parseGitRemote(withoutFragment);
  const display = subpath === "" ? parsed.display : `${parsed.display}#${subpath}`;
  return { reference, url: parsed.url, subpath, display, name: nameOf(parsed.url, subpath) };
}

function nameOf(url: string, subpath: string): string {
  if (subpath !== "") return subpath.split("/").at(-1)!;
  let path = new URL(url).pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the encoded form: it will simply not match an extension name.
  }
  const last = path.split("/").filter((segment) => segment !== "").at(-1) ?? "";
  return last.replace(/\.git$/i, "");
}
