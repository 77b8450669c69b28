import { ProvisioningError } from "../errors.ts";
import { redactCredentials } from "./redact_credentials.ts";
import type { GitResult } from "./types.ts";

/** Why a git command that talked to a remote failed, as far as its messages tell. */
export type GitFailureKind =
  | "AUTH_REFUSED"
  | "NOT_FOUND"
  | "REF_NOT_FOUND"
  | "UNREACHABLE"
  | "TLS";

// Order matters: the first matching row wins (an HTTP 401 also ends in "hung up").
const RULES: readonly [GitFailureKind, RegExp][] = [
  ["REF_NOT_FOUND", /couldn't find remote ref|no such remote ref|not our ref/i],
  [
    "AUTH_REFUSED",
    /authentication failed|could not read (username|password)|terminal prompts disabled|returned error: 40[13]\b|permission denied \(publickey|invalid username or password|HTTP Basic: Access denied/i,
  ],
  [
    "NOT_FOUND",
    /does not appear to be a git repository|repository not exported|repository '.*' not found|repository not found|returned error: 404\b|no such repository|not a git repository/i,
  ],
  ["TLS", /certificate|SSL certificate problem|server verification failed/i],
  [
    "UNREACHABLE",
    /unable to connect|could not resolve host|connection refused|failed to connect|couldn't connect|connection timed out|timed out|network is unreachable|no route to host|unable to look up|connection reset|empty reply from server|recv failure|gnutls_handshake|SSL_connect|SSL_ERROR|TLS connect error|returned error: 5\d\d\b|rpc failed|hung up unexpectedly|early eof|unexpected disconnect/i,
  ],
];

/**
 * Classifies git's standard error after a failed command that talked to a remote. Git has no
 * machine-readable failure reasons; this reads the messages of git 2.x (run with
 * `LC_ALL=C`) for plain git daemons, smart HTTP servers and local paths.
 *
 * @example
 * ```ts
 * import { classifyGitFailure } from "./classify_git_failure.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   classifyGitFailure("fatal: remote error: access denied or repository not exported: /x.git"),
 *   "NOT_FOUND",
 * );
 * assert.equal(
 *   classifyGitFailure("fatal: unable to connect to 127.0.0.1:\nerrno=Connection refused"),
 *   "UNREACHABLE",
 * );
 * assert.equal(classifyGitFailure("fatal: something new"), undefined);
 * ```
 *
 * @param stderr Git's standard error.
 * @returns The kind of failure, or `undefined` when the messages are not recognised.
 */
export function classifyGitFailure(stderr: string): GitFailureKind | undefined {
  return RULES.find(([, pattern]) => pattern.test(stderr))?.[0];
}

/**
 * Builds the error for a failed git command that talked to `remote`: `NOT_FOUND` (exit 3),
 * `AUTH_REFUSED` or `UNREACHABLE` (exit 4), `INSECURE_TRANSPORT` for a TLS verification
 * failure (exit 5), otherwise `REGISTRY_ERROR` (exit 4). Git's messages become the detail
 * lines; every URL in them has its credentials redacted.
 *
 * @example
 * ```ts
 * import { gitRemoteError } from "./classify_git_failure.ts";
 * import assert from "node:assert/strict";
 *
 * const err = gitRemoteError("list tags of", "https://***@h.example/x.git", {
 *   code: 128,
 *   stdout: "",
 *   stderr: "fatal: Authentication failed for 'https://bob:pw@h.example/x.git/'\n",
 * });
 * assert.equal(err.code, "AUTH_REFUSED");
 * assert.ok(!err.details.join("\n").includes("pw"));
 * ```
 *
 * @param action What was attempted, as a verb phrase (`list tags of`, `fetch tag "v1" from`).
 * @param remote The remote, already redacted.
 * @param result The failed git result.
 * @returns The error to throw.
 */
export function gitRemoteError(
  action: string,
  remote: string,
  result: GitResult,
): ProvisioningError {
  const details = redactCredentials(result.stderr).split("\n").map((line) => line.trim())
    .filter((line) => line !== "");
  const reason = details.findLast((line) => /^(fatal|error):/i.test(line)) ?? details.at(-1);
  const options = { details };
  switch (classifyGitFailure(result.stderr)) {
    case "AUTH_REFUSED":
      return new ProvisioningError(
        "AUTH_REFUSED",
        `Git remote "${remote}" refused access: the credentials are missing or wrong`,
        {
          ...options,
          hint: "Prompts are disabled: give credentials in a git credential helper or the URL",
        },
      );
    case "NOT_FOUND":
      return new ProvisioningError("NOT_FOUND", `Git repository "${remote}" not found`, {
        ...options,
        hint: "Check the remote URL (and that the server exports the repository)",
      });
    case "REF_NOT_FOUND":
      return new ProvisioningError(
        "NOT_FOUND",
        `Cannot ${action} "${remote}": no such tag`,
        options,
      );
    case "TLS":
      return new ProvisioningError(
        "INSECURE_TRANSPORT",
        `Cannot verify the TLS certificate of git remote "${remote}"`,
        { ...options, hint: "Install the server's CA certificate for git (http.sslCAInfo)" },
      );
    case "UNREACHABLE":
      return new ProvisioningError("UNREACHABLE", `Cannot reach git remote "${remote}"`, {
        ...options,
        hint: "Check that the server is running and reachable from here",
      });
    default:
      return new ProvisioningError(
        "REGISTRY_ERROR",
        `Cannot ${action} "${remote}": git exited with code ${result.code}`,
        { ...options, ...(reason === undefined ? {} : { hint: `git said: ${reason}` }) },
      );
  }
}
