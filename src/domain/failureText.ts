import type { z } from 'zod';

/**
 * Safe failure text: everything that turns an error, an upstream body or a validation issue into words that may
 * reach a log line, a CLI message, an HTTP answer or the Durable history goes through here.
 */

/** The most of any upstream (provider or storage) text that reaches a message. */
export const MAX_UPSTREAM_TEXT = 300;

/** The first line of whatever was thrown: enough to say what happened, without stack or request dumps. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

/** The first few validation issues as `path: message`, for errors that must say what was wrong and where. */
export const describeIssues = (error: z.ZodError, whole: string): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`)
    .join('; ');

/** One validation issue as `<field> <message>`; HTTP answers quote the field (`"limit" must be at least 1`). */
export const issueText = (issue: z.core.$ZodIssue | undefined, whole: string, quoted = false): string => {
  const field = issue?.path.join('.') || whole;
  return `${quoted ? `"${field}"` : field} ${issue?.message ?? 'is invalid'}`;
};

// ANSI escape sequences first (so their parameters go with them), then any other control character.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// Control characters (Cc), format characters (Cf: the bidi embeddings, overrides and isolates U+202A–U+202E and
// U+2066–U+2069, zero-width joiners, soft hyphens, BOM), and the line and paragraph separators.
const CONTROL = /[\p{Cc}\p{Cf}\u2028\u2029]+/gu;

/**
 * Upstream text made fit for one line of ours: escape sequences, control and format characters (newlines included,
 * so a provider cannot forge a line of our output; bidi controls, so it cannot reorder what a reader sees) become
 * single spaces, and the whole is cut to `max` characters.
 */
export function cleanUpstreamText(text: string, max = MAX_UPSTREAM_TEXT): string {
  const flat = text.replace(ANSI_SEQUENCE, ' ').replace(CONTROL, ' ').replace(/ {2,}/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * An error body reduced to what says what went wrong: `<Code>: <Message>` from an XML or JSON error document (the
 * Table service answers with either), else the cleaned start of the text.
 */
export function reduceErrorBody(body: string): string {
  const xml = (tag: string) => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'i').exec(body)?.[1];
  const xmlCode = xml('Code');
  if (xmlCode !== undefined) return cleanUpstreamText([xmlCode, xml('Message')].filter(Boolean).join(': '));
  const json = parseJsonObject(body);
  if (json) {
    const error = (typeof json['odata.error'] === 'object' ? json['odata.error'] : (json.error ?? json)) as Record<string, unknown>;
    const code = typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : undefined;
    const message = messageOf(error.message) ?? (typeof json.error === 'string' ? json.error : undefined) ?? messageOf(json.message);
    if (code !== undefined || message !== undefined) return cleanUpstreamText([code, message].filter(Boolean).join(': '));
  }
  return cleanUpstreamText(body);
}

/** OData errors wrap the message as `{ "lang": "en-US", "value": "..." }`. */
const messageOf = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string'
      ? (value as { value: string }).value
      : undefined;

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Secrets shorter than this are refused by the settings check: a short value would match ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** The forms a secret may take in text: as is, URL-encoded, base64 (a Basic header or an echo), hex, in any letter case. */
const formsOf = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  Buffer.from(secret).toString('base64'),
  Buffer.from(secret).toString('base64url'),
  Buffer.from(secret).toString('hex'),
];

/**
 * Up to this many characters that are neither letters nor digits may stand between two characters of a form: a
 * provider that echoes a key spaced out (`a b c`, `a-b-c`, `61 62 63`) still has it redacted.
 */
const MAX_SEPARATORS = 3;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The letters and digits of `text`, lower-cased, each with the index in `text` of the character it came from. */
function skeletonOf(text: string): { readonly skeleton: string; readonly at: readonly number[] } {
  let skeleton = '';
  const at: number[] = [];
  for (let index = 0; index < text.length;) {
    const character = String.fromCodePoint(text.codePointAt(index) ?? 0);
    if (LETTER_OR_DIGIT.test(character)) {
      const lower = character.toLowerCase();
      skeleton += lower;
      for (let k = 0; k < lower.length; k++) at.push(index);
    }
    index += character.length;
  }
  return { skeleton, at };
}

/**
 * The spans of `text` that hold a form, in any letter case, with at most MAX_SEPARATORS other characters beside each
 * character of the form (its own `/`, `+`, `=` and `%` included). Found with plain substring search over the text's
 * letters and digits (linear in the text for each form), not with a pattern of optional separators, which backtracks
 * without bound on hostile text.
 */
function formSpans(text: string, forms: readonly string[]): Array<readonly [number, number]> {
  const { skeleton, at } = skeletonOf(text);
  const spans: Array<readonly [number, number]> = [];
  for (const form of new Set(forms)) {
    const own = skeletonOf(form);
    const length = own.skeleton.length;
    if (length === 0) continue;
    // What the form itself holds before its first letter or digit, after its last, and between each two.
    const [lead, trail] = [form.slice(0, own.at[0]).toLowerCase(), form.slice((own.at[length - 1] as number) + 1).toLowerCase()];
    const allowedGap = (k: number) => {
      const ownGap = (own.at[k] as number) - (own.at[k - 1] as number) - 1;
      return ownGap + (ownGap + 1) * MAX_SEPARATORS;
    };
    for (let found = skeleton.indexOf(own.skeleton); found !== -1; found = skeleton.indexOf(own.skeleton, found + 1)) {
      let close = true;
      for (let k = 1; k < length && close; k++) close = (at[found + k] as number) - (at[found + k - 1] as number) - 1 <= allowedGap(k);
      if (!close) continue;
      let [from, to] = [at[found] as number, (at[found + length - 1] as number) + 1];
      if (lead !== '' && text.slice(from - lead.length, from).toLowerCase() === lead) from -= lead.length;
      if (trail !== '' && text.slice(to, to + trail.length).toLowerCase() === trail) to += trail.length;
      spans.push([from, to]);
    }
  }
  return spans.sort((a, b) => a[0] - b[0]);
}

/** The forms of each non-empty secret, longest first. */
const formsOfSecrets = (secrets: readonly string[]): string[] =>
  [...new Set(secrets.filter((secret) => secret.length > 0).flatMap(formsOf))].sort((a, b) => b.length - a.length);

/**
 * Whether `text` holds a secret in any of the forms `redact` replaces: for a value that would be stored and shown
 * (a provider's text in a row), which cannot be redacted and stay true, so it is refused instead.
 */
export const holdsSecret = (text: string, secrets: readonly string[]): boolean => formSpans(text, formsOfSecrets(secrets)).length > 0;

/**
 * Replaces every secret, in each of its forms, in any letter case and spaced out by separators, in `text` with
 * `***`; and the start of one that text was cut short in (cleanUpstreamText cuts upstream text before it reaches
 * redaction, so an echoed key can arrive as its first characters followed by the cut mark).
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = formsOfSecrets(secrets);
  if (forms.length === 0) return text;
  let redacted = '';
  let end = 0;
  for (const [from, to] of formSpans(text, forms)) {
    if (from >= end) redacted += `${text.slice(end, from)}***`;
    end = Math.max(end, to);
  }
  return redactCutSecrets(redacted + text.slice(end), forms);
}

/** The mark cleanUpstreamText leaves where it cut text short. */
const CUT_MARK = '…';
/** Fewer characters say nothing of a key, and would star ordinary words that happen to end like one begins. */
const MIN_CUT_PREFIX = 3;

/** Before each cut mark, the longest end of the text (at least MIN_CUT_PREFIX characters) that begins a secret's form (any case) becomes `***`. */
function redactCutSecrets(text: string, forms: readonly string[]): string {
  if (!text.includes(CUT_MARK)) return text;
  const lowered = forms.map((form) => form.toLowerCase());
  const pieces = text.split(CUT_MARK);
  return pieces
    .map((piece, index) => {
      if (index === pieces.length - 1) return piece;
      const lower = piece.toLowerCase();
      let cut = 0;
      for (const form of lowered) {
        for (let length = Math.min(form.length, lower.length); length > cut && length >= MIN_CUT_PREFIX; length--) {
          if (lower.endsWith(form.slice(0, length))) {
            cut = length;
            break;
          }
        }
      }
      return cut === 0 ? piece : `${piece.slice(0, piece.length - cut)}***`;
    })
    .join(CUT_MARK);
}
