/**
 * The values that cross the wire, with the distinctions the two encodings need: a XenAPI int is a decimal
 * string on XML-RPC but a number on JSON-RPC, a float is <double> or a number, a datetime is
 * <dateTime.iso8601> or a string. Structs are Maps, never plain objects, so a key such as "__proto__"
 * from a dump or a request is only ever data.
 */

/** A 64-bit XenAPI int, kept as its decimal text so values beyond 2^53 stay exact. */
export class WireInt {
  constructor(readonly decimal: string) {}
}

/** An int32 (event.from's valid_ref_counts): xapi writes it as <i4> on XML-RPC. */
export class WireInt32 {
  constructor(readonly value: number) {}
}

export class WireDouble {
  constructor(readonly value: number) {}
}

export class WireDateTime {
  constructor(readonly iso: string) {}
}

export type WireStruct = Map<string, WireValue>;

export type WireValue = string | boolean | null | WireInt | WireInt32 | WireDouble | WireDateTime | WireValue[] | WireStruct;

export const isStruct = (value: WireValue): value is WireStruct => value instanceof Map;

/** A call as both wire parsers deliver it. */
export interface WireCall {
  method: string;
  params: WireValue[];
}

/** What a XenAPI method answers: a value, or an error code with its string parameters. */
export type CallResult = { ok: true; value: WireValue } | { ok: false; error: string[] };

export const success = (value: WireValue): CallResult => ({ ok: true, value });
export const failure = (code: string, ...params: string[]): CallResult => ({ ok: false, error: [code, ...params] });

/** Raised inside method code for an API error; the dispatcher turns it into a failure result. */
export class ApiError extends Error {
  readonly error: string[];
  constructor(code: string, ...params: string[]) {
    super(code);
    this.error = [code, ...params];
  }
}

/** `%.16g`, as ocaml-rpc prints doubles. */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 16) {
    const [mantissa, exp] = value.toExponential(15).split('e') as [string, string];
    const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const n = Number(exp);
    return `${trimmed}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = value.toPrecision(16);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
