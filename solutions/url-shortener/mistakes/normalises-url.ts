/**
 * Mistake: storing new URL(url).href instead of the URL as sent. It lowercases the scheme
 * and host, drops default ports, resolves ./ and ../, adds a trailing slash and
 * percent-encodes some characters: the redirect goes somewhere slightly different.
 */
import { checkUrl } from "../index.ts";
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["redirects.exact-location"];

export const { migrate, createApp } = shortenerVariant({
  checkUrl: (value, ownHost) => new URL(checkUrl(value, ownHost)).href,
});
