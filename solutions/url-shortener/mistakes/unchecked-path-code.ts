/**
 * Mistake: the path's :code goes to Postgres as the client sent it. Parameters make that
 * safe from SQL injection, but Postgres refuses text that holds a NUL byte: GET /abc%00
 * fails the query and answers 500 instead of 404, on every endpoint that takes a code.
 */
import { shortenerVariant } from "./shortener-variant.ts";

export const mustFail = ["validation.path-codes"];

export const { migrate, createApp } = shortenerVariant({ checkPathCode: false });
