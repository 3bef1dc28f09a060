/**
 * Mistake: reading the click counter with the link and writing back count + 1. Two
 * redirects that read the same count both write count + 1, and one click is lost.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["concurrency.counts-every-click"];

export const { migrate, createApp } = shortenerVariant({ clicks: "read-modify-write" });
