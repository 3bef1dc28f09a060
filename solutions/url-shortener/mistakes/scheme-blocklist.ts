/**
 * Mistake: refusing known-bad schemes with a case-sensitive blocklist instead of allowing
 * http and https only. JavaScript:, DATA:, file:, ftp: and mailto: all get through.
 */
import { ApiError } from "../index.ts";
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["validation.url-scheme"];

const invalid = (message: string) => new ApiError(400, "INVALID_URL", message);

export const { migrate, createApp } = shortenerVariant({
  checkUrl: (value, ownHost) => {
    if (typeof value !== "string" || value === "") throw invalid("url is required.");
    if (value.length > 2048) throw invalid("url is too long.");
    if (!/^[\x21-\x7e]+$/.test(value)) throw invalid("url may contain printable ASCII only.");
    if (/^(javascript|data):/.test(value)) throw invalid("That scheme is not allowed.");
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw invalid("url is not a valid URL.");
    }
    if (parsed.hostname === ownHost) throw invalid("url points at this shortener.");
    return value;
  },
});
