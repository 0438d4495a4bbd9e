/**
 * An OData filter whose every value is a string literal: quoted, with `'` doubled as the Table service's grammar
 * wants, so no input can end its literal and widen the filter. This is what the SDK's `odata` template does with a
 * string value (test/unit/odata.test.ts compares the two); it lives here so that building a query does not load the
 * storage SDK, which is loaded on the first storage call only (tableClient.ts).
 */
export function odata(parts: TemplateStringsArray, ...values: readonly string[]): string {
  let filter = parts[0] ?? '';
  values.forEach((value, i) => {
    filter += `'${value.replace(/'/g, "''")}'${parts[i + 1] ?? ''}`;
  });
  return filter;
}
