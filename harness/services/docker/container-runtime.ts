import { getContainerRuntimeClient, type ContainerRuntimeClient } from "testcontainers";
import { ContainerRuntimeUnavailableError } from "../../errors.ts";

/** Whether a runtime answered, and if not, why (for doctor and auto). */
export type RuntimeProbe = { ok: true; client: ContainerRuntimeClient; version: string } | { ok: false; reason: string };

let cached: Promise<RuntimeProbe> | undefined;

/**
 * Asks testcontainers for a container runtime, with a deadline: a stopped Docker Desktop
 * can leave the socket hanging rather than refusing.
 */
export function probeContainerRuntime(timeoutMs = 4000): Promise<RuntimeProbe> {
  cached ??= (async (): Promise<RuntimeProbe> => {
    const timeout = new Promise<RuntimeProbe>((resolve) =>
      setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs).unref(),
    );
    const probe = getContainerRuntimeClient().then(
      (client): RuntimeProbe => ({ ok: true, client, version: String(client.info.containerRuntime.serverVersion ?? "unknown") }),
      (error: unknown): RuntimeProbe => ({ ok: false, reason: (error as Error)?.message ?? String(error) }),
    );
    return Promise.race([probe, timeout]);
  })();
  return cached;
}

/** The runtime client, or a ContainerRuntimeUnavailableError that says what to do. */
export async function requireContainerRuntime(): Promise<ContainerRuntimeClient> {
  const probe = await probeContainerRuntime();
  if (!probe.ok) throw new ContainerRuntimeUnavailableError(probe.reason);
  return probe.client;
}
