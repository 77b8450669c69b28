import assert from "node:assert/strict";
import { registryTest, startRegistry } from "./registry.ts";

/** Fetches `url` and returns status, headers and the consumed body text. */
async function get(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Whether a process with this PID still exists. */
function processExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

registryTest("plain registry answers /v2/ with 200 anonymously", async (_t, reg) => {
  assert.match(reg.host, /^127\.0\.0\.1:\d+$/);
  assert.equal(reg.url, `http://${reg.host}`);
  const res = await get(`${reg.url}/v2/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("docker-distribution-api-version"), "registry/2.0");
  assert.match(reg.requestLog(), /\/v2\//);
});

registryTest("two registries at once listen on different ports", async (_t, first) => {
  const second = await startRegistry();
  try {
    assert.notEqual(first.host, second.host);
    assert.notEqual(first.dataDir, second.dataDir);
    assert.equal((await get(`${second.url}/v2/`)).status, 200);
  } finally {
    await second.stop();
  }
});

registryTest("stop() is idempotent, kills the process and removes its dirs", async () => {
  const reg = await startRegistry();
  const pid = pidOf(reg);
  assert.ok(processExists(pid), "registry process should run before stop()");
  await Promise.all([reg.stop(), reg.stop()]);
  await reg.stop();
  assert.ok(!processExists(pid), `registry process ${pid} still exists after stop()`);
  await assert.rejects(Deno.stat(reg.dataDir), Deno.errors.NotFound);
});

function pidOf(reg: { pid?: number }): number {
  if (reg.pid === undefined) throw new Error("TestRegistry exposes no pid");
  return reg.pid;
}
