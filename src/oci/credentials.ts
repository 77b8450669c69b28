/**
 * Registry credentials: where they come from and how `ext login` / `ext logout` store them.
 *
 * Sources, first match wins in {@linkcode defaultCredentialStore}: the `[oci] auth_token_path`
 * file (for the default registry only), our own `~/.provisioning/credentials.json` (written
 * 0600, atomically, by {@linkcode saveCredentials}), then Docker's `config.json` (in
 * `DOCKER_CONFIG`, default `~/.docker`: the registry's `credHelpers` helper, else the
 * `credsStore` helper, else `auths`), then Podman's `${XDG_RUNTIME_DIR}/containers/auth.json`
 * `auths`. Secrets are held in {@linkcode Secret} so they never print.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { Secret } from "../config/secret.ts";
import { ProvisioningError } from "../errors.ts";
import { writeTextReplacing } from "../fs/write_replacing.ts";
import {
  helperGet,
  helperProgram,
  type HelperRunner,
  runHelperProcess,
} from "./credential_helper.ts";
import { splitRegistrySetting } from "./transport.ts";

/** A credential for one registry. `source` names where it came from (never the secret). */
export type Credential =
  | { kind: "basic"; username: string; password: Secret; source: string }
  | { kind: "bearer"; token: Secret; source: string }
  /** An OAuth2 refresh token (Docker's `identitytoken`), traded at the token service. */
  | { kind: "identity"; token: Secret; source: string };

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

/** Options of {@linkcode dockerConfigCredentials}. */
export interface DockerConfigOptions {
  /** Receives notes about ignored entries or an unreadable file. */
  onNote?: NoteSink | undefined;
  /** How credential helpers are run (tests pass a fake). */
  runHelper?: HelperRunner | undefined;
}

/**
 * Docker's `config.json` in `dir` (`DOCKER_CONFIG`, default `~/.docker`), read only: the
 * registry's `credHelpers` helper, else the `credsStore` helper, else its `auths` entry
 * (`auth`, `username` + `password`, or `identitytoken`). An unreadable file is ignored
 * with a note.
 *
 * @example
 * ```ts
 * import { dockerConfigCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({
 *   auths: { "https://ghcr.io": { auth: btoa("bob:pat") } },
 * }));
 * const cred = await dockerConfigCredentials(dir).get("ghcr.io");
 * assert.equal(cred?.kind === "basic" && cred.username, "bob");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder holding `config.json`.
 * @param options Notes and the helper runner.
 * @returns The store.
 */
export function dockerConfigCredentials(
  dir: string,
  options: DockerConfigOptions = {},
): CredentialStore {
  const path = join(dir, "config.json");
  const label = `Docker config "${path}"`;
  let loaded: Promise<DockerConfig> | undefined;
  return {
    async get(registry: string) {
      loaded ??= readDockerConfig(path, label, options.onNote);
      const config = await loaded;
      const key = normalizeRegistryKey(registry);
      const helper = config.credHelpers.get(key) ?? config.credsStore;
      if (helper !== undefined) {
        const program = helperProgram(helper);
        const found = await helperGet(program, key, options.runHelper ?? runHelperProcess);
        if (found !== undefined) return { ...found, source: `credential helper "${program}"` };
      }
      return config.auths.get(key);
    },
  };
}

/**
 * The credential helper Docker's config names for a registry (`credHelpers`, else
 * `credsStore`), or undefined — what `ext login` stores through and the permission plan
 * allows to run.
 *
 * @example
 * ```ts
 * import { dockerCredentialHelper } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/config.json`, '{"credsStore":"pass","credHelpers":{"r:1":"ecr"}}');
 * assert.equal(await dockerCredentialHelper(dir, "r:1"), "docker-credential-ecr");
 * assert.equal(await dockerCredentialHelper(dir, "other.io"), "docker-credential-pass");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder holding `config.json`.
 * @param registry The registry (`host[:port]`).
 * @returns The helper program, or undefined.
 * @throws {ProvisioningError} `INVALID_CONFIG` for a helper name that is not one word.
 */
export async function dockerCredentialHelper(
  dir: string,
  registry: string,
): Promise<string | undefined> {
  const config = await readDockerConfig(join(dir, "config.json"), "Docker config");
  const helper = config.credHelpers.get(normalizeRegistryKey(registry)) ?? config.credsStore;
  return helper === undefined ? undefined : helperProgram(helper);
}

/**
 * Every Docker credential helper `config.json` names (`credsStore` and each `credHelpers`
 * entry), as programs: what the permission plan allows to run.
 *
 * @example
 * ```ts
 * import { namedCredentialHelpers } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/config.json`, '{"credsStore":"pass","credHelpers":{"r:1":"ecr"}}');
 * assert.deepEqual(await namedCredentialHelpers(dir), ["docker-credential-ecr", "docker-credential-pass"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param dir The folder holding `config.json`.
 * @returns The helper programs, sorted (none when the file is missing).
 * @throws {ProvisioningError} `INVALID_CONFIG` for a helper name that is not one word.
 */
export async function namedCredentialHelpers(dir: string): Promise<string[]> {
  const config = await readDockerConfig(join(dir, "config.json"), "Docker config");
  const names = [...config.credHelpers.values(), ...(config.credsStore ? [config.credsStore] : [])];
  return [...new Set(names.map(helperProgram))].sort();
}

/**
 * Podman's (and skopeo's) `auth.json` `auths`, read only: `${XDG_RUNTIME_DIR}/containers/auth.json`.
 *
 * @example
 * ```ts
 * import { podmanAuthCredentials } from "./credentials.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/auth.json`, JSON.stringify({
 *   auths: { "quay.io": { auth: btoa("carol:pw") } },
 * }));
 * const cred = await podmanAuthCredentials(`${dir}/auth.json`).get("quay.io");
 * assert.equal(cred?.kind === "basic" && cred.username, "carol");
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @param path The file.
 * @param onNote Receives notes about ignored entries or an unreadable file.
 * @returns The store.
 */
export function podmanAuthCredentials(path: string, onNote?: NoteSink): CredentialStore {
  let loaded: Promise<Map<string, Credential>> | undefined;
  return {
    async get(registry: string) {
      loaded ??= readDockerConfig(path, `Podman auth file "${path}"`, onNote).then((c) => c.auths);
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
  /** Docker's config folder (`DOCKER_CONFIG`); default `<home>/.docker`. */
  dockerConfigDir?: string | undefined;
  /** Podman's auth file (`${XDG_RUNTIME_DIR}/containers/auth.json`), when there is one. */
  podmanAuthFile?: string | undefined;
  /** How credential helpers are run. */
  runHelper?: HelperRunner | undefined;
}

/**
 * The store the client uses by default: token file (default registry only), then
 * `~/.provisioning/credentials.json`, then Docker's config (helpers, then `auths`), then
 * Podman's auth file.
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
  if (options.home !== undefined) stores.push(provisioningCredentials(options.home));
  const dockerDir = options.dockerConfigDir ??
    (options.home === undefined ? undefined : join(options.home, ".docker"));
  if (dockerDir !== undefined) {
    stores.push(dockerConfigCredentials(dockerDir, {
      onNote: options.onNote,
      runHelper: options.runHelper,
    }));
  }
  if (options.podmanAuthFile !== undefined) {
    stores.push(podmanAuthCredentials(options.podmanAuthFile, options.onNote));
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

/** What a Docker-format config file says about credentials. */
interface DockerConfig {
  auths: Map<string, Credential>;
  credHelpers: Map<string, string>;
  credsStore: string | undefined;
}

async function readAuthsFile(
  path: string,
  label: string,
  strict: boolean,
  onNote?: NoteSink,
): Promise<Map<string, Credential>> {
  if (!strict) return (await readDockerConfig(path, label, onNote)).auths;
  return authsOf(await readJsonObject(path, label, true), label, onNote);
}

async function readDockerConfig(
  path: string,
  label: string,
  onNote?: NoteSink,
): Promise<DockerConfig> {
  let doc: Record<string, unknown>;
  try {
    doc = await readJsonObject(path, label, true);
  } catch {
    onNote?.(`Ignoring ${label}: it is not valid JSON`);
    return { auths: new Map(), credHelpers: new Map(), credsStore: undefined };
  }
  const credHelpers = new Map<string, string>();
  if (isRecord(doc.credHelpers)) {
    for (const [key, name] of Object.entries(doc.credHelpers)) {
      if (typeof name === "string" && name !== "") credHelpers.set(normalizeRegistryKey(key), name);
    }
  }
  const credsStore = typeof doc.credsStore === "string" && doc.credsStore !== ""
    ? doc.credsStore
    : undefined;
  return { auths: authsOf(doc, label, onNote), credHelpers, credsStore };
}

function authsOf(
  doc: Record<string, unknown>,
  label: string,
  onNote?: NoteSink,
): Map<string, Credential> {
  const map = new Map<string, Credential>();
  if (!isRecord(doc.auths)) return map;
  for (const [key, entry] of Object.entries(doc.auths)) {
    if (!isRecord(entry)) continue;
    if (typeof entry.identitytoken === "string" && entry.identitytoken !== "") {
      const token = new Secret(entry.identitytoken);
      map.set(normalizeRegistryKey(key), { kind: "identity", token, source: label });
      continue;
    }
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
      // An empty entry beside a credsStore is Docker's placeholder, not a mistake.
      if (Object.keys(entry).length > 0) {
        onNote?.(`Ignoring entry "${key}" in ${label}: no usable "auth" field`);
      }
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
