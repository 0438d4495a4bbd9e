import { z } from 'zod';
import { MIN_SECRET_LENGTH } from './failureText.js';
import { isSecureOrLoopback } from './urls.js';

/**
 * The building blocks of every setting's schema, shared by the core settings and the provider registry's entries.
 * Every message names what is wrong and never echoes the value.
 */

const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(/i;

const normalize = (value: unknown) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value);
const resolvedReference = z
  .string()
  .refine(
    (v) => !KEY_VAULT_REFERENCE.test(v),
    'is an unresolved Key Vault reference (@Microsoft.KeyVault(...)): check the secret exists and the app identity has the Key Vault Secrets User role',
  );

/** Blank means unset; an unresolved Key Vault reference is an error that says so. */
export const setting = <T extends z.ZodType<unknown, string>>(schema: T) =>
  z.preprocess(normalize, resolvedReference.pipe(schema).optional());

/** A setting that falls back to `fallback` when unset or blank. */
export const settingOr = <T extends z.ZodType<unknown, string>>(schema: T, fallback: z.output<T>) =>
  setting(schema).transform((value) => value ?? fallback);

/** True when a raw setting has a value: cross-field checks see the input even where other fields failed. */
export const given = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

export const httpsUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https URL' })
  .pipe(
    z
      .string()
      .refine((u) => isSecureOrLoopback(new URL(u)), 'must be an https URL (plain http only on loopback: localhost, 127.0.0.0/8, [::1])'),
  )
  .transform((u) => u.replace(/\/+$/, ''));

/** A shorter key would match ordinary words, so it could not be redacted from output: refused rather than left visible. */
export const secretValue = z
  .string()
  .min(
    MIN_SECRET_LENGTH,
    `must be at least ${MIN_SECRET_LENGTH} characters (a shorter value cannot be kept out of logs; check it was copied whole)`,
  );

export const wholeNumber = (unit: string, shortUnit: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number of ${unit}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int(`must be a whole number of ${unit}`)
        .min(min, `must be at least ${min} ${shortUnit}`)
        .max(max, `must be at most ${max} ${shortUnit}`),
    );

/** A comma-separated list: trimmed, blanks dropped, duplicates removed, order kept. */
export const commaList = z.string().transform((s) => [
  ...new Set(
    s
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
]);
