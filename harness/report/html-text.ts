import { plainText } from "../text/plain-text.ts";

/** Text safe anywhere in HTML (element content and quoted attributes): escaped, no terminal codes. */
export function escapeHtml(text: string): string {
  return plainText(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * The style every Katas page shares: readable on a phone (tables scroll sideways, the
 * rest reflows), printable (no backgrounds, no page break inside a test), dark mode.
 */
export const pageStyle = `
:root { color-scheme: light dark; --fg: #1d1f23; --muted: #5f6670; --line: #d6d9de; --pass: #17803d; --fail: #c0262d; --warn: #9a6700; --soft: #f4f5f7; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8eb; --muted: #a0a7b1; --line: #3a3f46; --pass: #4ac26b; --fail: #ff7b72; --warn: #d29922; --soft: #22262c; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 64rem; padding: 1rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
h1 { font-size: 1.5rem; margin: 0.2rem 0; } h2 { font-size: 1.15rem; margin: 1.6rem 0 0.4rem; } h3 { font-size: 1rem; margin: 0; }
.muted, .meta { color: var(--muted); } .meta { font-size: 0.9rem; margin: 0.2rem 0; }
.badge { display: inline-block; padding: 0.1rem 0.6rem; border-radius: 1rem; font-weight: 600; border: 1px solid currentColor; }
.pass { color: var(--pass); } .fail { color: var(--fail); } .warn { color: var(--warn); }
.score { font-size: 2rem; font-weight: 700; margin-right: 0.5rem; }
.scroll { overflow-x: auto; } table { border-collapse: collapse; width: 100%; margin: 0.4rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; } td.num, th.num { text-align: right; white-space: nowrap; }
code, pre { font: 0.85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: 0.5rem; border-radius: 0.3rem; margin: 0.3rem 0; }
.test { border-left: 3px solid var(--line); padding: 0.2rem 0 0.2rem 0.7rem; margin: 0.6rem 0; break-inside: avoid; }
.test.failed { border-color: var(--fail); } .test.skipped { border-color: var(--warn); }
.test p { margin: 0.2rem 0; overflow-wrap: anywhere; }
.label { font-weight: 600; }
@media (max-width: 30rem) { .time { display: none; } body { padding: 0.6rem; } }
footer { margin-top: 2rem; font-size: 0.8rem; color: var(--muted); }
@media print { body { max-width: none; font-size: 11pt; } pre { background: none; border: 1px solid var(--line); } a { color: inherit; } }
`;

/** A whole page: no scripts, no fetches (the CSP forbids both), one inline style. */
export function htmlPage(title: string, body: string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${pageStyle}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
