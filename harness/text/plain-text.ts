// Colour and cursor codes, and control characters, mean nothing outside a terminal.
const ansiSequence = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const controlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text without terminal codes or control characters (newlines and tabs stay). */
export function plainText(text: string): string {
  return text.replace(ansiSequence, "").replace(controlChars, "");
}
