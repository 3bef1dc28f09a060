import type { ServiceKind } from "../challenges/define-challenge.ts";
import { ServiceUnavailableError, UserError } from "../errors.ts";
import type { GradeOptions } from "../options.ts";
import { LocalProvider } from "./local/local-provider.ts";
import type { Teardown } from "./teardown.ts";
import type { ServiceProvider } from "./types.ts";
import { UrlProvider } from "./url/url-provider.ts";

/** The chosen provider and, for `auto`, one line on why. */
export interface ProviderChoiceResult {
  provider: ServiceProvider;
  reason?: string;
}

function urlsCover(kinds: readonly ServiceKind[], options: GradeOptions): boolean {
  return kinds.every((kind) => (kind === "redis" ? options.redisUrl : options.databaseUrl));
}

/** Resolves `--services` into one provider, without starting anything yet. */
export function selectProvider(kinds: readonly ServiceKind[], options: GradeOptions, teardown: Teardown): ProviderChoiceResult {
  switch (options.services) {
    case "url":
      return { provider: new UrlProvider(teardown, options.redisUrl, options.databaseUrl) };
    case "local":
      LocalProvider.check(kinds);
      return { provider: new LocalProvider(teardown) };
    case "docker":
      throw new UserError("PROVIDER_NOT_AVAILABLE", "The docker provider is not available in this version yet.", {
        hint: "Grade with the machine's own redis-server/postgres (--services local) or servers you run (--services url).",
      });
    case "auto": {
      if (kinds.length > 0 && urlsCover(kinds, options)) {
        return { provider: new UrlProvider(teardown, options.redisUrl, options.databaseUrl), reason: "using REDIS_URL/DATABASE_URL" };
      }
      try {
        LocalProvider.check(kinds);
        return { provider: new LocalProvider(teardown), reason: "using local binaries" };
      } catch (error) {
        if (!(error instanceof ServiceUnavailableError)) throw error;
        throw new ServiceUnavailableError(`No way to run ${kinds.join(" and ")} was found. ${error.message}`, {
          hint: "Install Docker, or install the servers (Debian/Ubuntu: sudo apt-get install redis-server postgresql; macOS: brew install redis postgresql@16), or set REDIS_URL/DATABASE_URL and pass --services url.",
          cause: error,
        });
      }
    }
  }
}
