/**
 * Mistake: a 302 without Cache-Control. Browsers and proxies may reuse the redirect
 * (heuristically, or because a CDN in front adds a max-age), and then clicks go uncounted.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["redirects.not-cacheable"];

export const { migrate, createApp } = shortenerVariant({
  redirect: (res, url) => {
    res.statusCode = 302;
    res.setHeader("Location", url);
    res.end();
  },
});
