/**
 * Test harness for integration tests: a real `docker-registry` in four variants
 * ({@linkcode startRegistry}, {@linkcode registryTest}) and a small fault-injection server
 * ({@linkcode startFaultServer}) for what a real registry will not do.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { registryTest } from "./mod.ts";
 *
 * registryTest("the token registry challenges with Bearer", async (_t, reg) => {
 *   const res = await fetch(`${reg.url}/v2/`);
 *   await res.body?.cancel();
 *   assert.equal(res.status, 401);
 * }, { variant: "token" });
 * ```
 *
 * @module
 */

export * from "./registry.ts";
export * from "./fault_server.ts";
