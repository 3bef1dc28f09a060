import type { ServiceKind } from "../challenges/define-challenge.ts";
import { ServiceUnavailableError } from "../errors.ts";
import type { EnvironmentOptions, GradeOptions } from "../options.ts";
import { LocalProvider } from "./local/local-provider.ts";
import type { Teardown } from "./teardown.ts";
import type { ServiceProvider } from "./types.ts";
import { UrlProvider } from "./url/url-provider.ts";

/** The chosen provider and, for `auto`, one line on why. */
export interface ProviderChoiceResult {
  provider: ServiceProvider;
  reason?: string;
}

function urlsCover(kinds: readonly ServiceKind[], options: EnvironmentOptions): boolean {
  return kinds.every((kind) => (kind === "redis" ? options.redisUrl : kind === "replicated-postgres" ? options.databaseUrl && options.databaseReplicaUrl : options.databaseUrl));
}

/** What `auto` would pick and why, without starting anything; shared with `doctor`. */
export async function decideAuto(kinds: readonly ServiceKind[], options: EnvironmentOptions): Promise<{ choice: "url" | "docker" | "local"; reason: string } | { choice: "none"; reason: string }> {
  if (kinds.length > 0 && urlsCover(kinds, options)) return { choice: "url", reason: "REDIS_URL/DATABASE_URL are set" };
  // testcontainers costs about half a second to import; only pay for it when Docker is in play.
  const { probeContainerRuntime } = await import("./docker/container-runtime.ts");
  const runtime = await probeContainerRuntime();
  if (runtime.ok) return { choice: "docker", reason: "a container runtime answered" };
  try {
    LocalProvider.check(kinds);
    return { choice: "local", reason: `no container runtime answered (${runtime.reason.split("\n")[0]}); using local binaries` };
  } catch (error) {
    return { choice: "none", reason: `no container runtime answered, and ${(error as Error).message}` };
  }
}

/** Resolves `--services` into one provider, without starting anything yet. */
export async function selectProvider(
  kinds: readonly ServiceKind[],
  options: GradeOptions,
  teardown: Teardown,
  progress: (message: string) => void,
): Promise<ProviderChoiceResult> {
  switch (options.services) {
    case "url":
      return { provider: new UrlProvider(teardown, options.redisUrl, options.databaseUrl, options.databaseReplicaUrl) };
    case "local":
      LocalProvider.check(kinds);
      return { provider: new LocalProvider(teardown) };
    case "docker": {
      const { DockerProvider } = await import("./docker/docker-provider.ts");
      return { provider: new DockerProvider(teardown, options.images, progress) };
    }
    case "auto": {
      const decision = await decideAuto(kinds, options);
      switch (decision.choice) {
        case "url":
          return { provider: new UrlProvider(teardown, options.redisUrl, options.databaseUrl, options.databaseReplicaUrl), reason: decision.reason };
        case "docker": {
          const { DockerProvider } = await import("./docker/docker-provider.ts");
          return { provider: new DockerProvider(teardown, options.images, progress), reason: decision.reason };
        }
        case "local":
          progress(decision.reason);
          return { provider: new LocalProvider(teardown), reason: "local binaries" };
        case "none":
          throw new ServiceUnavailableError(`No way to run ${kinds.join(" and ")} was found: ${decision.reason}.`, {
            hint: "Start Docker, or install the servers (Debian/Ubuntu: sudo apt-get install redis-server postgresql; macOS: brew install redis postgresql@16), or set REDIS_URL/DATABASE_URL and pass --services url.",
          });
      }
    }
  }
}
