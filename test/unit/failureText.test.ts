import { describe, expect, it } from 'vitest';
import { cleanUpstreamText, holdsSecret, MAX_UPSTREAM_TEXT, reduceErrorBody, redact } from '../../src/domain/failureText.js';

describe('redact', () => {
  const secret = 'GoldKey/With+Special=Chars&1';

  it('catches the secret as is, upper- and lower-cased, URL-encoded and base64 (standard and URL-safe)', () => {
    const echoes = [
      secret,
      secret.toUpperCase(),
      secret.toLowerCase(),
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      `Basic ${Buffer.from(secret).toString('base64')}`,
    ];
    for (const echo of echoes) {
      expect(redact(`provider said: ${echo} is not valid`, [secret]), echo).toBe(
        `provider said: ${echo.startsWith('Basic') ? 'Basic ***' : '***'} is not valid`,
      );
    }
  });

  it('catches the secret hex-encoded and spaced out by separators, as a provider may echo it', () => {
    const hex = Buffer.from(secret).toString('hex');
    const echoes = [
      hex,
      hex.toUpperCase(),
      hex.replace(/(..)(?!$)/g, '$1 '),
      hex.replace(/(..)(?!$)/g, '$1:'),
      [...secret].join(' '),
      [...secret.toLowerCase()].join('-'),
      [...secret].join(' . '),
    ];
    for (const echo of echoes)
      expect(redact(`provider said: ${echo} is not valid`, [secret]), echo).toBe('provider said: *** is not valid');
    // Ordinary words around it stay as they are.
    expect(redact('the key G o l d is short', [secret])).toBe('the key G o l d is short');
  });

  it('catches every secret, a longer one before a shorter one inside it', () => {
    const connection = 'AccountName=acct;AccountKey=c2VjcmV0LWtleQ==';
    expect(redact(`failed: ${connection} and key c2VjcmV0LWtleQ==`, [connection, 'c2VjcmV0LWtleQ=='])).toBe('failed: *** and key ***');
  });

  it('catches the start of a secret where upstream text was cut short, so no prefix of it survives the cut', () => {
    // cleanUpstreamText cuts before redaction sees the text: an echo at the cut arrives as its first characters.
    const echoed = cleanUpstreamText(`${'x'.repeat(MAX_UPSTREAM_TEXT - 12)} ${secret.toUpperCase()} and more`);
    expect(echoed).toMatch(/ GOLDKEY\/WI…$/);
    expect(redact(echoed, [secret])).toBe(`${'x'.repeat(MAX_UPSTREAM_TEXT - 12)} ***…`);
    expect(redact(`type ${encodeURIComponent(secret).slice(0, 9)}…: info ${secret.slice(0, 4)}… (permanent)`, [secret])).toBe(
      'type ***…: info ***… (permanent)',
    );
    expect(redact('a cut that holds no secret…', [secret])).toBe('a cut that holds no secret…');
    // Two characters say nothing of a key: "(go…" stays as it is.
    expect(redact('(go…', [secret])).toBe('(go…');
  });

  it('leaves text alone when there are no secrets, or only empty ones', () => {
    expect(redact('nothing to hide', [])).toBe('nothing to hide');
    expect(redact('nothing to hide', [''])).toBe('nothing to hide');
  });
});

describe('holdsSecret', () => {
  const key = 'Key0123456789abcdef';
  it.each([
    ['as is, in another letter case', `LBMA-${key.toUpperCase()}`],
    ['hex-encoded', Buffer.from(key).toString('hex').toUpperCase()],
    ['spaced out', key.split('').join(' ')],
  ])('finds a secret %s', (_how, text) => expect(holdsSecret(text, ['other-secret-value', key])).toBe(true));

  it('finds nothing in a plain source name, or when no secret is configured', () => {
    expect(holdsSecret('FOREXCOM', [key])).toBe(false);
    expect(holdsSecret(key, [])).toBe(false);
  });
});

describe('cleanUpstreamText', () => {
  it('turns ANSI escape sequences and control characters (a forged second line included) into single spaces', () => {
    const hostile = '\u001b[31mInvalid\u001b[0m key\r\nfx-gold: stored row 2025-07-08 OK\u0007\u2028done\u001b]0;title\u0007!';
    expect(cleanUpstreamText(hostile)).toBe('Invalid key fx-gold: stored row 2025-07-08 OK done !');
  });

  it('turns bidi controls and other format characters into spaces, so a provider cannot reorder or hide what is shown', () => {
    const hostile =
      'Invalid key \u202eyek dilav\u202c\u2066isolated\u2069 zero\u200bwidth\u00adsoft\ufeffbom \u202a\u202b\u202d\u2067\u2068end';
    const cleaned = cleanUpstreamText(hostile);
    expect(cleaned).toBe('Invalid key yek dilav isolated zero width soft bom end');
    expect(cleaned).not.toMatch(/\p{Cf}/u);
  });

  it(`cuts the text to ${MAX_UPSTREAM_TEXT} characters, marking the cut`, () => {
    const cleaned = cleanUpstreamText('x'.repeat(5_000_000));
    expect(cleaned).toHaveLength(MAX_UPSTREAM_TEXT);
    expect(cleaned.endsWith('…')).toBe(true);
    expect(cleanUpstreamText('short enough')).toBe('short enough');
  });
});

describe('reduceErrorBody', () => {
  it('reduces an Azurite XML error body to "Code: Message" on one line', () => {
    // As Azurite 3.35 answers a request with a bad SharedKey signature.
    const body = [
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
      '<Error>',
      '  <Code>AuthorizationFailure</Code>',
      '  <Message>Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature.',
      'RequestId:b2c2f432-de48-4f13-b78e-0695641709ab',
      'Time:2026-11-26T02:26:42.845Z</Message>',
      '</Error>',
    ].join('\n');
    expect(reduceErrorBody(body)).toBe(
      'AuthorizationFailure: Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature. RequestId:b2c2f432-de48-4f13-b78e-0695641709ab Time:2026-11-26T02:26:42.845Z',
    );
  });

  it('reduces an OData JSON error body to "Code: Message"', () => {
    const body = JSON.stringify({
      'odata.error': {
        code: 'TableNotFound',
        message: { lang: 'en-US', value: 'The table specified does not exist.\nRequestId:5d9e\nTime:2025-07-08T18:00:01Z' },
      },
    });
    expect(reduceErrorBody(body)).toBe('TableNotFound: The table specified does not exist. RequestId:5d9e Time:2025-07-08T18:00:01Z');
  });

  it('falls back to the cleaned, capped start of any other body', () => {
    expect(reduceErrorBody(`<html>\n<h1>Bad gateway</h1>${'x'.repeat(1000)}`)).toMatch(/^<html> <h1>Bad gateway<\/h1>x+…$/);
    expect(reduceErrorBody('x'.repeat(1000))).toHaveLength(MAX_UPSTREAM_TEXT);
  });
});
