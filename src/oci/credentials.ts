/**
 * Registry credentials: where they come from and how `ext login` / `ext logout` store them.
 *
 * Sources, first match wins in {@linkcode defaultCredentialStore}: the `[oci] auth_token_path`
 * file (for the default registry only), our own `~/.provisioning/credentials.json` (written
 * 0600, atomically, by {@linkcode saveCredentials}), then `~/.docker/config.json` `auths`
 * (read only; `credHelpers` / `credsStore` are not run, a note says so). Secrets are held in
 * {@linkcode Secret} so they never print.
 *
 * @module
 */

import { join } from "node:path";
import { Secret } from "../config/secret.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import { splitRegistrySetting } from "./transport.ts";

/** A credential for one registry. `source` names where it came from (never the secret). */
export type Credential =
  | { kind: "basic"; username: string; password: Secret; source: string }
  | { kind: "bearer"; token: Secret; source: string };

/** Looks up the credential for a registry host (`host[:port]`). */
export interface CredentialStore {
  /**
   * The credential for a registry.
   *
   * @param registry `host[:port]` as in a URL's `host`.
   * @returns The credential, or `undefined` for anonymous access.
   */
  get(registry: string): Promise<Credential | undefined>;
}

/**
 * Receives one-line notes (ignored helpers, loose file modes); never secrets. `warning`
 * marks what the user should see even without `--debug` (a token file others can read).
 */
export type NoteSink = (line: string, level?: "note" | "warning") => void;

/**
 * Normalizes a registry key (`https://Reg.example.com:443/v1/` → `reg.example.com`) so
 * config keys and URL hosts compare equal.
 *
 * @example
 * ```ts
 * import { normalizeRegistryKey } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizeRegistryKey("https://Reg.Example.com:443/v1/"), "reg.example.com");
 * assert.equal(normalizeRegistryKey("localhost:5000"), "localhost:5000");
 * ```
 *
 * @param key A registry as written in a config file or setting.
 * @returns `host[:port]`, lower case, default ports dropped.
 */
export function normalizeRegistryKey(key: string): string {
  const host = splitRegistrySetting(key).host.split("/")[0]!;
  return host.replace(/:(443|80)$/, "");
}

/**
 * A fixed in-memory store (for tests, or a CLI that got credentials from flags).
 *
 * @example
 * ```ts
 * import { memoryCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const store = memoryCredentials({ "localhost:5000": { username: "u", password: "p" } });
 * assert.equal((await store.get("localhost:5000"))?.kind, "basic");
 * assert.equal(await store.get("other:5000"), undefined);
 * ```
 *
 * @param entries Registry → `{username, password}` or `{token}`.
 * @returns The store.
 */
export function memoryCredentials(
  entries: Record<string, { username: string; password: string } | { token: string }>,
): CredentialStore {
  const map = new Map<string, Credential>();
  for (const [key, value] of Object.entries(entries)) {
    map.set(
      normalizeRegistryKey(key),
      "token" in value ? { kind: "bearer", token: new Secret(value.token), source: "memory" } : {
        kind: "basic",
        username: value.username,
        password: new Secret(value.password),
        source: "memory",
      },
    );
  }
  return { get: (registry) => Promise.resolve(map.get(normalizeRegistryKey(registry))) };
}

/**
 * The `[oci] auth_token_path` file: one line holding a bearer token, or `user:password`.
 * It applies to one registry only (the default registry), never to others.
 *
 * @example
 * ```ts
 * import { tokenFileCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/token`, "alice:s3cret\n", { mode: 0o600 });
 * const store = tokenFileCredentials(`${dir}/token`, "localhost:5000");
 * const cred = await store.get("localhost:5000");
 * assert.equal(cred?.kind === "basic" && cred.username, "alice");
 * assert.equal(await store.get("ghcr.io"), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The token file.
 * @param registry The registry it is for (`[oci] registry`).
 * @param onNote Receives a note when the file is readable by others.
 * @returns The store.
 * @throws {ProvisioningError} `INVALID_CONFIG` (from `get`) when the file cannot be read or is
 *   empty.
 */
export function tokenFileCredentials(
  path: string,
  registry: string,
  onNote?: NoteSink,
): CredentialStore {
  const key = normalizeRegistryKey(registry);
  let loaded: Promise<Credential> | undefined;
  const load = async (): Promise<Credential> => {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
      const mode = (await Deno.stat(path)).mode;
      if (mode !== null && (mode & 0o077) !== 0) {
        onNote?.(`Token file "${path}" is readable by other users; chmod 600 it`, "warning");
      }
    } catch (error) {
      throw new ProvisioningError("INVALID_CONFIG", `Cannot read token file "${path}"`, {
        cause: error,
        hint: "Fix [oci] auth_token_path or create the file",
      });
    }
    const line = text.trim();
    if (line === "") {
      throw new ProvisioningError("INVALID_CONFIG", `Token file "${path}" is empty`);
    }
    const source = `token file "${path}"`;
    const colon = line.indexOf(":");
    return colon > 0
      ? {
        kind: "basic",
        username: line.slice(0, colon),
        password: new Secret(line.slice(colon + 1)),
        source,
      }
      : { kind: "bearer", token: new Secret(line), source };
  };
  return {
    get(registry: string) {
      if (normalizeRegistryKey(registry) !== key) return Promise.resolve(undefined);
      return loaded ??= load();
    },
  };
}

/**
 * The path of our own credential file: `<home>/.provisioning/credentials.json`.
 *
 * @example
 * ```ts
 * import { credentialsFilePath } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(credentialsFilePath("/home/ada"), "/home/ada/.provisioning/credentials.json");
 * ```
 *
 * @param home Home directory.
 * @returns The file path.
 */
export function credentialsFilePath(home: string): string {
  return join(home, ".provisioning", "credentials.json");
}

/**
 * Our own store, `<home>/.provisioning/credentials.json`, in Docker's `auths` format
 * (`{"auths":{"host:port":{"auth":"base64(user:password)"}}}`).
 *
 * @example
 * ```ts
 * import { provisioningCredentials, saveCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * await saveCredentials(home, "localhost:5000", "alice", "s3cret");
 * const cred = await provisioningCredentials(home).get("localhost:5000");
 * assert.equal(cred?.kind === "basic" && cred.password.reveal(), "s3cret");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home Home directory.
 * @returns The store (the file is read once, on first use; a missing file means none).
 * @throws {ProvisioningError} `INVALID_CONFIG` (from `get`) when the file is not valid JSON.
 */
export function provisioningCredentials(home: string): CredentialStore {
  const path = credentialsFilePath(home);
  let loaded: Promise<Map<string, Credential>> | undefined;
  return {
    async get(registry: string) {
      loaded ??= readAuthsFile(path, `credentials file "${path}"`, true);
      return (await loaded).get(normalizeRegistryKey(registry));
    },
  };
}

/**
 * Docker's `<home>/.docker/config.json` `auths` (read only). Entries with an `auth` field
 * (or `username` + `password`) are used; `credHelpers` / `credsStore` are not run and an
 * unreadable file is ignored — both with a note.
 *
 * @example
 * ```ts
 * import { dockerConfigCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * await Deno.mkdir(`${home}/.docker`);
 * await Deno.writeTextFile(`${home}/.docker/config.json`, JSON.stringify({
 *   auths: { "https://ghcr.io": { auth: btoa("bob:pat") } },
 * }));
 * const cred = await dockerConfigCredentials(home).get("ghcr.io");
 * assert.equal(cred?.kind === "basic" && cred.username, "bob");
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home Home directory.
 * @param onNote Receives notes about ignored helpers or an unreadable file.
 * @returns The store.
 */
export function dockerConfigCredentials(home: string, onNote?: NoteSink): CredentialStore {
  const path = join(home, ".docker", "config.json");
  let loaded: Promise<Map<string, Credential>> | undefined;
  return {
    async get(registry: string) {
      loaded ??= readAuthsFile(path, `Docker config "${path}"`, false, onNote);
      return (await loaded).get(normalizeRegistryKey(registry));
    },
  };
}

/**
 * Tries stores in order; the first credential found wins.
 *
 * @example
 * ```ts
 * import { chainCredentials, memoryCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const store = chainCredentials([
 *   memoryCredentials({}),
 *   memoryCredentials({ "r:1": { token: "t" } }),
 * ]);
 * assert.equal((await store.get("r:1"))?.kind, "bearer");
 * ```
 *
 * @param stores The stores, highest priority first.
 * @returns The combined store.
 */
export function chainCredentials(stores: readonly CredentialStore[]): CredentialStore {
  return {
    async get(registry: string) {
      for (const store of stores) {
        const found = await store.get(registry);
        if (found !== undefined) return found;
      }
      return undefined;
    },
  };
}

/** Options of {@linkcode defaultCredentialStore}. */
export interface DefaultCredentialOptions {
  /** Home directory; without it only the token file is consulted. */
  home?: string | undefined;
  /** Receives notes (never secrets). */
  onNote?: NoteSink | undefined;
}

/**
 * The store the client uses by default: token file (default registry only), then
 * `~/.provisioning/credentials.json`, then `~/.docker/config.json`.
 *
 * @example
 * ```ts
 * import { defaultCredentialStore } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const store = defaultCredentialStore(
 *   { registry: "localhost:5000", auth_token_path: undefined },
 *   { home },
 * );
 * assert.equal(await store.get("localhost:5000"), undefined);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param settings `[oci] registry` and `auth_token_path`.
 * @param options Home directory and note sink.
 * @returns The chained store.
 */
export function defaultCredentialStore(
  settings: { registry: string; auth_token_path: string | undefined },
  options: DefaultCredentialOptions = {},
): CredentialStore {
  const stores: CredentialStore[] = [];
  if (settings.auth_token_path !== undefined && settings.auth_token_path !== "") {
    stores.push(tokenFileCredentials(settings.auth_token_path, settings.registry, options.onNote));
  }
  if (options.home !== undefined) {
    stores.push(provisioningCredentials(options.home));
    stores.push(dockerConfigCredentials(options.home, options.onNote));
  }
  return chainCredentials(stores);
}

/**
 * Stores `username` / `password` for a registry in `<home>/.provisioning/credentials.json`
 * (what `ext login` does). The file is written 0600 through a temp file and a rename, so a
 * crash never leaves it half written; the directory is created 0700 when missing.
 *
 * @example
 * ```ts
 * import { saveCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * const path = await saveCredentials(home, "localhost:5000", "alice", "s3cret");
 * assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home Home directory.
 * @param registry Registry (`host[:port]`, a scheme is dropped).
 * @param username User name (must not contain `:`).
 * @param password Password or access token.
 * @returns The path of the credentials file.
 * @throws {ProvisioningError} `USAGE` for an empty user name or one with `:`;
 *   `INVALID_CONFIG` when the existing file is not valid JSON.
 */
export async function saveCredentials(
  home: string,
  registry: string,
  username: string,
  password: string,
): Promise<string> {
  if (username === "" || username.includes(":")) {
    throw new ProvisioningError("USAGE", `Invalid user name "${username}": empty or contains ":"`);
  }
  const path = credentialsFilePath(home);
  const doc = await readJsonObject(path, `credentials file "${path}"`, true);
  const auths = isRecord(doc.auths) ? doc.auths : {};
  auths[normalizeRegistryKey(registry)] = { auth: encodeBase64(`${username}:${password}`) };
  doc.auths = auths;
  await writeFileAtomic(path, JSON.stringify(doc, null, 2) + "\n");
  return path;
}

/**
 * Removes the stored credential of a registry (what `ext logout` does).
 *
 * @example
 * ```ts
 * import { removeCredentials, saveCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const home = await Deno.makeTempDir();
 * await saveCredentials(home, "localhost:5000", "alice", "s3cret");
 * assert.equal(await removeCredentials(home, "localhost:5000"), true);
 * assert.equal(await removeCredentials(home, "localhost:5000"), false);
 * await Deno.remove(home, { recursive: true });
 * ```
 *
 * @param home Home directory.
 * @param registry Registry (`host[:port]`).
 * @returns True when a credential was removed, false when there was none.
 * @throws {ProvisioningError} `INVALID_CONFIG` when the file is not valid JSON.
 */
export async function removeCredentials(home: string, registry: string): Promise<boolean> {
  const path = credentialsFilePath(home);
  const doc = await readJsonObject(path, `credentials file "${path}"`, true);
  const key = normalizeRegistryKey(registry);
  if (!isRecord(doc.auths) || !(key in doc.auths)) return false;
  delete doc.auths[key];
  await writeFileAtomic(path, JSON.stringify(doc, null, 2) + "\n");
  return true;
}

async function readAuthsFile(
  path: string,
  label: string,
  strict: boolean,
  onNote?: NoteSink,
): Promise<Map<string, Credential>> {
  const map = new Map<string, Credential>();
  let doc: Record<string, unknown>;
  try {
    doc = await readJsonObject(path, label, true);
  } catch (error) {
    if (strict) throw error;
    onNote?.(`Ignoring ${label}: it is not valid JSON`);
    return map;
  }
  if (!strict && (isRecord(doc.credHelpers) || typeof doc.credsStore === "string")) {
    onNote?.(`Ignoring credential helpers in ${label}: only "auths" entries are read`);
  }
  if (!isRecord(doc.auths)) return map;
  for (const [key, entry] of Object.entries(doc.auths)) {
    if (!isRecord(entry)) continue;
    let username: string | undefined;
    let password: string | undefined;
    if (typeof entry.auth === "string" && entry.auth !== "") {
      const decoded = decodeBase64(entry.auth);
      const colon = decoded?.indexOf(":") ?? -1;
      if (decoded !== undefined && colon > 0) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    } else if (typeof entry.username === "string" && typeof entry.password === "string") {
      username = entry.username;
      password = entry.password;
    }
    if (username === undefined || password === undefined) {
      onNote?.(`Ignoring entry "${key}" in ${label}: no usable "auth" field`);
      continue;
    }
    map.set(normalizeRegistryKey(key), {
      kind: "basic",
      username,
      password: new Secret(password),
      source: label,
    });
  }
  return map;
}

async function readJsonObject(
  path: string,
  label: string,
  missingOk: boolean,
): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (missingOk && error instanceof Deno.errors.NotFound) return {};
    throw new ProvisioningError("INVALID_CONFIG", `Cannot read ${label}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined; // the parser's message may quote file content: do not keep it
  }
  if (!isRecord(doc)) {
    throw new ProvisioningError("INVALID_CONFIG", `Cannot parse ${label}: not a JSON object`, {
      hint: "Fix or delete the file, then log in again",
    });
  }
  return doc;
}

async function writeFileAtomic(path: string, text: string): Promise<void> {
  await writeTextReplacing(path, text, { mode: 0o600, dirMode: 0o700 });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function encodeBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeBase64(value: string): string | undefined {
  try {
    const binary = atob(value);
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
