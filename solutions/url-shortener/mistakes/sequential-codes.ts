/**
 * Mistake: codes from a counter in base62 ("0000001", "0000002", ...). Short and unique,
 * but anyone holding one link can enumerate everybody else's.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["api.random-codes"];

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
let counter = 0;

function nextCode(): string {
  let n = ++counter;
  let code = "";
  do {
    code = alphabet[n % 62] + code;
    n = Math.floor(n / 62);
  } while (n > 0);
  return code.padStart(7, "0");
}

export const { migrate, createApp } = shortenerVariant({ defaultCode: nextCode });
