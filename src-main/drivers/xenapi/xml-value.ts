/**
 * XenAPI values on the XML-RPC wire (reference §1.2, §1.4): the value type every transport carries, and the
 * encoder for calls (and, for servers in tests and simulators, responses). The decoder is in xml-decode.ts.
 */

/** A parameter that must go out as `<double>` (event.from's timeout, reference §4.1: "must be float"). */
export class XapiDouble {
  constructor(readonly value: number) {}
}

export type XapiValue = string | number | boolean | XapiDouble | XapiValue[] | { [key: string]: XapiValue };

// XML 1.0 cannot carry these at all, not even as character references; lone surrogates would turn into U+FFFD.
const UNSENDABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function escapeText(text: string): string {
  // The value may be a password: the error names the problem, never the text.
  if (UNSENDABLE.test(text)) throw new TypeError('a string holds a control character or lone surrogate that XML-RPC cannot carry');
  // \r would come back as \n after XML line-end normalisation, so it travels as a character reference.
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

const MAX_ENCODE_DEPTH = 64;

function encodeInto(out: string[], value: XapiValue, depth: number): void {
  if (depth > MAX_ENCODE_DEPTH) throw new TypeError(`a parameter is nested deeper than ${MAX_ENCODE_DEPTH} levels (a cycle?)`);
  if (typeof value === 'string') {
    out.push('<value><string>', escapeText(value), '</string></value>');
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot send ${value} as a XenAPI value`);
    // xapi's XML-RPC ints are decimal strings (reference §1.4); BigInt keeps 1e21 from becoming "1e+21".
    if (Number.isInteger(value)) out.push('<value><string>', BigInt(value).toString(), '</string></value>');
    else out.push('<value><double>', String(value), '</double></value>');
  } else if (typeof value === 'boolean') {
    out.push('<value><boolean>', value ? '1' : '0', '</boolean></value>');
  } else if (value instanceof XapiDouble) {
    if (!Number.isFinite(value.value)) throw new TypeError(`cannot send ${value.value} as a XenAPI double`);
    const text = String(value.value);
    // "60" would parse as a double too, but "60.0" says what it is to anyone reading a capture.
    out.push('<value><double>', /^-?\d+$/.test(text) ? `${text}.0` : text, '</double></value>');
  } else if (Array.isArray(value)) {
    out.push('<value><array><data>');
    for (const item of value) encodeInto(out, item, depth + 1);
    out.push('</data></array></value>');
  } else if (typeof value === 'object' && value !== null) {
    out.push('<value><struct>');
    for (const key of Object.keys(value)) {
      out.push('<member><name>', escapeText(key), '</name>');
      encodeInto(out, value[key]!, depth + 1);
      out.push('</member>');
    }
    out.push('</struct></value>');
  } else {
    throw new TypeError(`cannot send ${value === null ? 'null' : typeof value} as a XenAPI value`);
  }
}

/** One `<value>…</value>`. */
export function encodeValue(value: XapiValue): string {
  const out: string[] = [];
  encodeInto(out, value, 0);
  return out.join('');
}

export function encodeMethodCall(method: string, params: XapiValue[]): string {
  const out: string[] = ['<?xml version="1.0"?><methodCall><methodName>', escapeText(method), '</methodName><params>'];
  for (const param of params) {
    out.push('<param>');
    encodeInto(out, param, 0);
    out.push('</param>');
  }
  out.push('</params></methodCall>');
  return out.join('');
}

/** The answer a xapi host gives; for servers in tests and simulators. */
export function encodeMethodResponse(value: XapiValue): string {
  return `<?xml version="1.0"?><methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>`;
}

