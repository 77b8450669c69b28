/**
 * Reading Gitea API answers into the client's types, and name checks; private to
 * `src/gitea`. Only documented fields are read; anything else is ignored.
 *
 * @module
 */

import { ProvisioningError } from "../errors.ts";
import type { GiteaRepository } from "./types.ts";

/**
 * Checks an organisation or repository name (Gitea allows letters, digits, `-`, `_`, `.`).
 *
 * @param name The name.
 * @param what `organisation` or `repository`, for the message.
 * @param code The error code to throw.
 * @returns The name.
 */
export function checkName(
  name: string,
  what: string,
  code: "INVALID_CONFIG" | "INVALID_REFERENCE",
): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..") {
    throw new ProvisioningError(
      code,
      `Cannot use ${what} name "${name}": expected letters, digits, "-", "_" or "."`,
    );
  }
  return name;
}

function unexpected(host: string, what: string): ProvisioningError {
  return new ProvisioningError(
    "REGISTRY_ERROR",
    `Gitea "${host}" sent a ${what} without the documented fields`,
    { hint: "Check that [gitea] url points at a Gitea or Forgejo server" },
  );
}

/**
 * Reads a `Repository` object.
 *
 * @param item The JSON value.
 * @param host The server, for messages.
 * @returns The repository.
 */
export function toRepository(item: unknown, host: string): GiteaRepository {
  const value = item as Record<string, unknown> | null;
  if (typeof value?.name !== "string") throw unexpected(host, "repository");
  const optional = (key: string) =>
    typeof value[key] === "string" ? value[key] as string : undefined;
  const repository: GiteaRepository = {
    name: value.name,
    fullName: optional("full_name") ?? value.name,
    description: optional("description") ?? "",
    private: value.private === true,
    archived: value.archived === true,
    empty: value.empty === true,
    codeReadable: (value.permissions as { pull?: unknown } | undefined)?.pull !== false &&
      value.has_code !== false,
  };
  const extras = {
    defaultBranch: optional("default_branch"),
    htmlUrl: optional("html_url"),
    cloneUrl: optional("clone_url"),
    updatedAt: optional("updated_at"),
  };
  for (const [key, extra] of Object.entries(extras)) {
    if (extra !== undefined) (repository as unknown as Record<string, string>)[key] = extra;
  }
  return repository;
}

/**
 * Reads a `Tag` object (`name`, `id`, `commit.sha`).
 *
 * @param item The JSON value.
 * @param host The server, for messages.
 * @returns Tag name, commit and object id.
 */
export function toTag(item: unknown, host: string): { tag: string; commit: string; id?: string } {
  const value = item as { name?: unknown; id?: unknown; commit?: { sha?: unknown } } | null;
  const sha = value?.commit?.sha;
  if (
    typeof value?.name !== "string" || typeof sha !== "string" || !/^[0-9a-f]{40,64}$/i.test(sha)
  ) {
    throw unexpected(host, "tag");
  }
  return {
    tag: value.name,
    commit: sha.toLowerCase(),
    ...(typeof value.id === "string" ? { id: value.id } : {}),
  };
}
