import { type SchemaOptions, Type } from '@sinclair/typebox';

/** A string enum that types as the union of its values and documents as `enum` in OpenAPI. */
export const StringEnum = <const T extends readonly string[]>(values: T, opts: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });

/** Money is a decimal string with two places ("129.90"); a JSON number is refused. */
export const Money = (opts: SchemaOptions = {}) =>
  Type.String({
    pattern: '^-?[0-9]{1,12}\\.[0-9]{2}$',
    description: 'Decimal with two places, e.g. "129.90"',
    ...opts,
  });

/** Quantities are integers. */
export const Quantity = (opts: SchemaOptions = {}) =>
  Type.Integer({ minimum: 1, maximum: 1_000_000, ...opts });
