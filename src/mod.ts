/**
 * `provisioning ext` as a library: load infrastructure extensions (providers, taskservs,
 * clusters) from OCI registries and local folders, with semver resolution and a safe cache.
 *
 * The names follow the seed's functions in camelCase. Failures are
 * {@linkcode ProvisioningError}s with a stable `code`; `loadExtension` returns
 * `{success, …, error}` instead of throwing.
 *
 * @example Resolve a version spec
 * ```ts
 * import { resolveVersion } from "./mod.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resolveVersion("^1.28.0", ["1.27.4", "1.28.0", "1.29.1", "2.0.0"]), "1.29.1");
 * ```
 *
 * @module
 */

export { ERROR_EXIT_CODES, exitCodeOf, isProvisioningError, ProvisioningError } from "./errors.ts";
export type { ErrorCode, ExitCode, ProvisioningErrorOptions } from "./errors.ts";

// Versions
export {
  compareSemver,
  getLatestVersion,
  isSemver,
  parseVersionSpec,
  resolveOciVersion,
  resolveVersion,
  satisfiesConstraint,
  sortBySemver,
  tagToVersion,
  tryParseVersionSpec,
  versionToTag,
} from "./versions/mod.ts";
export type { OciVersionMatch, VersionSpec } from "./versions/mod.ts";

// Manifests
export {
  checkExtensionStructure,
  parseManifest,
  readManifest,
  tryParseManifest,
  validateExtensionDir,
  validateManifest,
} from "./manifest/mod.ts";
export type {
  ExtensionInfo,
  ExtensionManifest,
  ExtensionMetadata,
  ExtensionType,
  HookPermissions,
  ManifestProblem,
} from "./manifest/mod.ts";

// Configuration
export { envReport, loadConfig } from "./config/mod.ts";
export type { ConcreteSourceType, ResolvedConfig, Settings, SourceType } from "./config/mod.ts";

// OCI
export {
  artifactExists,
  createRegistryClient,
  deleteArtifact,
  getArtifactManifest,
  getArtifactTags,
  isOciAvailable,
  listArtifacts,
  pullArtifact,
  pushArtifact,
  testOciConnection,
} from "./oci/mod.ts";

// Cache
export {
  clearCache,
  getCacheStats,
  getFromCache,
  listCached,
  pruneCache,
  removeFromCache,
  saveGiteaToCache,
  saveOciToCache,
} from "./cache/mod.ts";

// Discovery
export {
  discoverAllExtensions,
  discoverLocalExtensions,
  discoverOciExtensions,
  getExtensionInfo,
  getExtensionVersions,
  getOciExtensionMetadata,
  listExtensions,
  rankExtensions,
  searchExtensions,
} from "./discovery/mod.ts";

// Loading
export { clearLoadMemo, loadExtension, pullExtension } from "./loader/load.ts";
export type { LoadExtensionOptions } from "./loader/load.ts";
export type { LoadOptions, LoadResult } from "./loader/types.ts";
export { createSource } from "./sources/create_source.ts";
export type {
  MaterializedExtension,
  MaterializeOptions,
  ResolvedVersion,
  Source,
  SourceContext,
  SourceProgress,
  SourceVersion,
} from "./sources/types.ts";

// Publishing
export { deleteExtension, packageExtension, publishExtension } from "./publish/mod.ts";
export type {
  DeleteOptions,
  DeleteResult,
  PackagedExtension,
  PublishOptions,
  PublishResult,
} from "./publish/mod.ts";

// Workspaces: dependency resolution and the lock file
export {
  findRequirementsFile,
  formatLock,
  installWorkspace,
  loaderIndex,
  LOCK_FILE,
  LOCK_VERSION,
  lockGraph,
  parseRequirements,
  readLock,
  readRequirements,
  REQUIREMENTS_FILE,
  resolveDependencies,
  treeHash,
  writeLock,
} from "./workspace/mod.ts";
export type {
  Constraint,
  IndexEntry,
  IndexVersion,
  InstallWorkspaceOptions,
  InstallWorkspaceResult,
  LoaderIndex,
  LockChange,
  LockedExtension,
  LockFile,
  OutdatedRow,
  Requirement,
  ResolvedGraph,
  ResolvedNode,
  ResolveIndex,
  ResolveOptions,
} from "./workspace/mod.ts";

// Signatures: cosign-compatible signing and verification
export {
  buildSimpleSigningPayload,
  createSignatureGate,
  findSignatures,
  generateKeyPair,
  importPublicKeyPem,
  keyFingerprint,
  parseSimpleSigningPayload,
  readCosignPrivateKey,
  signArtifact,
  signatureTag,
  verifyArtifact,
  verifyCosignSignature,
} from "./signatures/mod.ts";
export type {
  GeneratedKeyPair,
  PrivateKeyInfo,
  PublicKeyInfo,
  SignArtifactResult,
  SignatureCheck,
  SignatureGate,
  VerifiedArtifact,
} from "./signatures/mod.ts";
// Hooks: extension code run in a sandbox with its declared permissions
export { resolveHook, runHook } from "./hooks/mod.ts";
export type {
  HookContext,
  HookGrants,
  HookKind,
  LoadedExtension,
  ResolvedHook,
  RunHookOptions,
} from "./hooks/mod.ts";
