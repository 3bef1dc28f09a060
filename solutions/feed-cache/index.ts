/**
 * Reference solution: a home feed on Postgres with Redis timelines, fan-out on write for
 * most authors and merge on read for celebrities. See NOTES.md.
 */
export { createFeedService, ReferenceFeed } from "./feed-service.ts";
export type { FeedOptions, FeedPage, FeedService, Post } from "../../challenges/feed-cache/src/index.ts";
