import { ProvisioningError } from "../errors.ts";
import { isLoopbackHostname } from "../net/is_loopback_hostname.ts";
import { redactCredentials } from "./redact_credentials.ts";

// deno-lint-ignore no-control-regex -- control characters are refused on purpose
const SPACE_OR_CONTROL = /[\x00-\x20\x7f]/;

/** A git remote, checked and ready to hand to git. */
export interface GitRemote {
  /** The URL git is given (a `git+` prefix removed), credentials included. */
  url: string;
  /** The same URL with credentials redacted, for messages and records. */
  display: string;
  /** The transport. */
  scheme: "https" | "http" | "git" | "file";
}

/** Options of {@linkcode parseGitRemote}. */
export interface ParseGitRemoteOptions {
  /** Allow `http://` to hosts other than loopback. Default false. */
  insecure?: boolean;
}

/**
 * Checks a git remote reference and says which URL to hand to git. Accepted:
 * `https://…`, `git+https://…`, `git://…`, `file://…` (also with `git+`), and `http://…` to a
 * loopback host (or any host with `insecure`). SSH remotes are not supported, nor git's
 * `ext::` and other remote helpers.
 *
 * @example
 * ```ts
 * import { parseGitRemote } from "./parse_git_remote.ts";
 * import assert from "node:assert/strict";
 *
 * const remote = parseGitRemote("git+https://bob:tok@git.example.com/ext/aws.git");
 * assert.equal(remote.url, "https://bob:tok@git.example.com/ext/aws.git");
 * assert.equal(remote.display, "https://***@git.example.com/ext/aws.git");
 * assert.equal(parseGitRemote("git://127.0.0.1:9418/aws.git").scheme, "git");
 * assert.throws(() => parseGitRemote("http://git.example.com/aws.git"), {
 *   code: "INSECURE_TRANSPORT",
 * });
 * ```
 *
 * @param reference The remote as configured or given on the command line.
 * @param options Transport policy.
 * @returns The URL for git, its redacted form and its scheme.
 * @throws {ProvisioningError} `INVALID_REFERENCE` for what is not a URL or uses another
 *   scheme; `UNSUPPORTED` for SSH; `INSECURE_TRANSPORT` for plain HTTP to a non-loopback host.
 */
export function parseGitRemote(reference: string, options: ParseGitRemoteOptions = {}): GitRemote {
  const trimmed = reference.trim();
  const url = trimmed.replace(/^git\+(?=[a-z][a-z0-9+.-]*:\/\/)/i, "");
  const display = redactCredentials(url);
  if (url === "" || SPACE_OR_CONTROL.test(url) || url.startsWith("-")) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use git remote "${display}": not a URL`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use git remote "${display}": not a URL`,
      {
        cause,
        hint: "Write remotes as https://host/path.git, git://host/path.git or file:///path",
      },
    );
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (scheme === "ssh" || scheme === "git+ssh" || scheme === "ssh+git") {
    throw new ProvisioningError(
      "UNSUPPORTED",
      `Cannot use git remote "${display}": SSH remotes are not supported`,
      { hint: "Use the https:// or git:// address of the repository" },
    );
  }
  if (scheme !== "https" && scheme !== "http" && scheme !== "git" && scheme !== "file") {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use git remote "${display}": scheme "${scheme}" is not supported`,
      { hint: "Use https://, git://, file:// (or http:// to a loopback host)" },
    );
  }
  if (scheme === "http" && !options.insecure && !isLoopbackHostname(parsed.hostname)) {
    throw new ProvisioningError(
      "INSECURE_TRANSPORT",
      `Refusing plain HTTP to git remote "${display}": only loopback hosts may use http://`,
      { hint: "Use https://, or allow insecure remotes explicitly if this host has no TLS" },
    );
  }
  if (scheme === "file" && parsed.hostname !== "" && parsed.hostname !== "localhost") {
    throw new ProvisioningError(
      "INVALID_REFERENCE",
      `Cannot use git remote "${display}": file:// remotes must be local (file:///path)`,
    );
  }
  return { url, display, scheme };
}
