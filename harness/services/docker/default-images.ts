/** Official images, pinned to a minor line; override with KATAS_REDIS_IMAGE / KATAS_POSTGRES_IMAGE. */
export const defaultImages = { redis: "redis:7.4", postgres: "postgres:16" } as const;
