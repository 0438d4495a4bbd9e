import { odata as sdkOdata } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { odata } from '../../src/storage/odata.js';

// The stores build their filters with the local template (so a query does not load the SDK); it must escape
// exactly as the SDK's does for string values.
describe('odata filter template', () => {
  it.each(['USD', '', "O'Brien", "''", "USD' or PartitionKey ne '", "2025-07-01' or RowKey ge '", 'a\\\\b', 'é€ 日本'])(
    'quotes %j as the SDK does',
    (value) => {
      expect(odata`PartitionKey eq ${value} and RowKey ge ${value}`).toBe(sdkOdata`PartitionKey eq ${value} and RowKey ge ${value}`);
    },
  );

  it('leaves the text around the values as written', () => {
    expect(odata`PartitionKey eq ${'USD'}`).toBe("PartitionKey eq 'USD'");
    expect(odata`${"it's"}`).toBe("'it''s'");
  });
});
