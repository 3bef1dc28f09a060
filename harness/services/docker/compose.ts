import { spawnSync } from "node:child_process";
import path from "node:path";
import { UserError } from "../../errors.ts";
import { repoRoot } from "../../paths.ts";

/** `docker compose` (v2 plugin) or the older `docker-compose`, whichever this machine has. */
function composeCommand(): string[] {
  if (spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0) return ["docker", "compose"];
  if (spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0) return ["docker-compose"];
  throw new UserError("COMPOSE_UNAVAILABLE", "Neither `docker compose` nor `docker-compose` is installed.", {
    hint: "Install Docker Desktop (it includes compose), or let the grader start containers itself: --services docker.",
  });
}

/** Starts or stops the long-lived dev services in docker/compose.yaml; returns compose's exit code. */
export function runCompose(action: "up" | "down"): number {
  const [command, ...prefix] = composeCommand();
  const args = [...prefix, "-p", "backend-katas", "-f", path.join(repoRoot, "docker/compose.yaml"), ...(action === "up" ? ["up", "-d"] : ["down"])];
  return spawnSync(command!, args, { stdio: "inherit", cwd: repoRoot }).status ?? 1;
}
