/**
 * XenAPI values on the XML-RPC wire (reference §1.2, §1.4): an encoder for calls and a bounded, streaming decoder
 * for responses. The decoder is fed chunks as they arrive, so a response is never held as one big string; it
 * refuses anything outside the XML-RPC grammar, any DTD (no entity expansion, no XML bombs), nesting deeper than
 * `maxDepth`, strings longer than `maxStringLength` and more than `maxItems` values, always with a
 * XapiTransportError('malformed') that names the problem and the line.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { XapiTransportError, describeSize } from './errors';

/** A parameter that must go out as `<double>` (event.from's timeout, reference §4.1: "must be float"). */
export class XapiDouble {
  constructor(readonly value: number) {}
}

export type XapiValue = string | number | boolean | XapiDouble | XapiValue[] | { [key: string]: XapiValue };

export interface DecodeLimits {
  /** Nesting of <value> elements (a record inside a map inside an array is 3). */
  maxDepth: number;
  /** Characters in one string, member name or number. */
  maxStringLength: number;
  /** Values in the whole response (array items and struct members, counted at every level). */
  maxItems: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxDepth: 64,
  maxStringLength: 64 * 1024 * 1024,
  maxItems: 10_000_000,
});

// ---------------------------------------------------------------------------------------------------------------
// Encoding

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

// ---------------------------------------------------------------------------------------------------------------
// Decoding

type Container = 'methodResponse' | 'params' | 'param' | 'fault' | 'value' | 'array' | 'data' | 'struct' | 'member' | 'name';
type Scalar = 'string' | 'int' | 'i4' | 'i8' | 'double' | 'boolean' | 'dateTime.iso8601';
type Tag = Container | Scalar;

/** Which child elements each element may hold (the XML-RPC grammar; xapi uses no base64 and no nil). */
const CHILDREN: Record<Tag, readonly Tag[]> = {
  methodResponse: ['params', 'fault'],
  params: ['param'],
  param: ['value'],
  fault: ['value'],
  value: ['string', 'int', 'i4', 'i8', 'double', 'boolean', 'dateTime.iso8601', 'array', 'struct'],
  array: ['data'],
  data: ['value'],
  struct: ['member'],
  member: ['name', 'value'],
  name: [],
  string: [],
  int: [],
  i4: [],
  i8: [],
  double: [],
  boolean: [],
  'dateTime.iso8601': [],
};

/** Elements whose text is data; in every other element only whitespace may appear between children. */
const HOLDS_TEXT = new Set<Tag>(['value', 'name', 'string', 'int', 'i4', 'i8', 'double', 'boolean', 'dateTime.iso8601']);

interface Frame {
  tag: Tag;
  /** Text seen so far (only for elements that hold text). */
  text: string;
  /** Child elements opened so far. */
  children: number;
  /** A <value>'s typed content, a <member>'s value, a <param>'s or <fault>'s value. */
  value: XapiValue | undefined;
  hasValue: boolean;
  /** A <member>'s name. */
  name: string | undefined;
  items: XapiValue[] | undefined;
  members: { [key: string]: XapiValue } | undefined;
}

/**
 * The constant for a tag name the parser hands over as a fresh string, or undefined. A switch on the length
 * first: comparing a fresh string with literals of other lengths is free, where hashing it for a Map lookup
 * was a tenth of the decoder's time.
 */
function tagOf(name: string): Tag | undefined {
  switch (name.length) {
    case 2:
      return name === 'i4' ? 'i4' : name === 'i8' ? 'i8' : undefined;
    case 3:
      return name === 'int' ? 'int' : undefined;
    case 4:
      return name === 'name' ? 'name' : name === 'data' ? 'data' : undefined;
    case 5:
      return name === 'value' ? 'value' : name === 'param' ? 'param' : name === 'array' ? 'array' : name === 'fault' ? 'fault' : undefined;
    case 6:
      return name === 'member' ? 'member' : name === 'string' ? 'string' : name === 'struct' ? 'struct' : name === 'params' ? 'params' : name === 'double' ? 'double' : undefined;
    case 7:
      return name === 'boolean' ? 'boolean' : undefined;
    case 14:
      return name === 'methodResponse' ? 'methodResponse' : undefined;
    case 16:
      return name === 'dateTime.iso8601' ? 'dateTime.iso8601' : undefined;
    default:
      return undefined;
  }
}

/** CHILDREN as sets, for the check every element passes (Object.hasOwn + includes was the decoder's hot spot). */
const ALLOWED: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries(CHILDREN).map(([tag, kids]) => [tag, new Set<string>(kids)]));

const WHITESPACE = /^[ \t\r\n]*$/;
const INTEGER = /^[+-]?[0-9]+$/;
const DOUBLE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Sets a member so that "__proto__" becomes an own property instead of replacing the object's prototype. */
function setMember(target: { [key: string]: XapiValue }, name: string, value: XapiValue): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  else target[name] = value;
}

function scalarValue(tag: Scalar, raw: string, fail: (message: string) => never): XapiValue {
  switch (tag) {
    case 'string':
    case 'dateTime.iso8601':
      return raw;
    case 'int':
    case 'i4':
    case 'i8': {
      const text = raw.trim();
      if (!INTEGER.test(text)) fail(`<${tag}> holds "${text.slice(0, 40)}", not an integer`);
      return Number(text);
    }
    case 'double': {
      const text = raw.trim();
      if (DOUBLE.test(text)) return Number(text);
      // OCaml's printf gives these for non-finite floats.
      const special = text.toLowerCase();
      if (special === 'nan' || special === '-nan') return Number.NaN;
      if (special === 'inf' || special === 'infinity' || special === '+inf') return Number.POSITIVE_INFINITY;
      if (special === '-inf' || special === '-infinity') return Number.NEGATIVE_INFINITY;
      return fail(`<double> holds "${text.slice(0, 40)}", not a number`);
    }
    case 'boolean': {
      const text = raw.trim();
      if (text === '1' || text === 'true') return true;
      if (text === '0' || text === 'false') return false;
      return fail(`<boolean> holds "${text.slice(0, 40)}", not 0 or 1`);
    }
  }
}

export interface ResponseDecoder {
  write(chunk: string): void;
  /** Ends the input; returns the value of the response's one <param>. */
  close(): unknown;
}

const PROLOG_LIMIT = 64 * 1024;

export function createResponseDecoder(limits: Partial<DecodeLimits> = {}): ResponseDecoder {
  const { maxDepth, maxStringLength, maxItems } = { ...DEFAULT_DECODE_LIMITS, ...limits };
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: Frame[] = [];
  let valueDepth = 0;
  let items = 0;
  let result: { value: XapiValue } | undefined;
  let fault: XapiValue | undefined;
  let rootSeen = false;
  let prologTail = '';
  let prologLength = 0;
  let failure: XapiTransportError | undefined;

  const malformed = (message: string): XapiTransportError =>
    new XapiTransportError('malformed', `malformed XML-RPC response: ${message} at line ${parser.line}`);
  const fail = (message: string): never => {
    throw malformed(message);
  };

  const appendText = (frame: Frame, text: string) => {
    if (!HOLDS_TEXT.has(frame.tag)) {
      if (!WHITESPACE.test(text)) fail(`text "${text.trim().slice(0, 40)}" inside <${frame.tag}>`);
      return;
    }
    if (frame.tag === 'value' && frame.children > 0) {
      if (!WHITESPACE.test(text)) fail(`text "${text.trim().slice(0, 40)}" beside a typed value`);
      return;
    }
    if (frame.text.length + text.length > maxStringLength) fail(`a string is longer than ${describeSize(maxStringLength)} characters`);
    frame.text += text;
  };

  parser.on('doctype', () => fail('a DOCTYPE is not allowed (DTDs and entity declarations are refused)'));
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) appendText(top, text);
  });
  parser.on('cdata', (text) => {
    const top = stack[stack.length - 1];
    if (top) appendText(top, text);
    else fail('CDATA outside the document');
  });

  parser.on('opentag', (tag: SaxesTagPlain) => {
    // The parser hands over a fresh string per tag; its interned twin makes every later comparison a pointer
    // check instead of a character-by-character one.
    const name = tagOf(tag.name);
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (name !== 'methodResponse') fail(`the document is <${tag.name}>, not <methodResponse>`);
      rootSeen = true;
    } else {
      if (name === undefined || ALLOWED.get(parent.tag)?.has(name) !== true) fail(`unexpected <${tag.name}> inside <${parent.tag}>`);
      parent.children += 1;
      const once = parent.tag !== 'params' && parent.tag !== 'data' && parent.tag !== 'struct' && parent.tag !== 'member';
      if (once && parent.children > 1) fail(`more than one element inside <${parent.tag}>`);
      if (parent.tag === 'params' && parent.children > 1) fail('more than one <param> in a response');
      if (parent.tag === 'member') {
        if ((name === 'name' && parent.name !== undefined) || (name === 'value' && parent.hasValue)) fail(`a <member> with two <${name}>s`);
      }
      if (parent.tag === 'value' && !WHITESPACE.test(parent.text)) fail(`text "${parent.text.trim().slice(0, 40)}" beside a typed value`);
    }
    if (name === 'value') {
      valueDepth += 1;
      if (valueDepth > maxDepth) fail(`values nested deeper than ${maxDepth} levels`);
      items += 1;
      if (items > maxItems) fail(`more than ${maxItems} values`);
    }
    // Every frame gets every field up front, so all frames share one object shape.
    const frame: Frame = {
      tag: name as Tag, // an unknown name failed above
      text: '',
      children: 0,
      value: undefined,
      hasValue: false,
      name: undefined,
      items: name === 'array' ? [] : undefined,
      members: name === 'struct' ? {} : undefined,
    };
    stack.push(frame);
  });

  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const parent = stack[stack.length - 1];
    let produced: XapiValue | undefined;
    switch (frame.tag) {
      case 'value':
        valueDepth -= 1;
        // A bare <value>x</value> is a string (reference §1.2).
        produced = frame.hasValue ? frame.value! : frame.text;
        break;
      case 'array':
        if (frame.children !== 1) fail('an <array> without <data>');
        produced = frame.items!;
        break;
      case 'data':
        // The items were handed to the enclosing <array> as each <value> closed.
        break;
      case 'struct':
        produced = frame.members!;
        break;
      case 'member':
        if (frame.name === undefined || !frame.hasValue) fail('a <member> without both <name> and <value>');
        setMember(parent!.members!, frame.name!, frame.value!);
        break;
      case 'name':
        parent!.name = frame.text;
        break;
      case 'param':
      case 'fault':
        if (!frame.hasValue) fail(`a <${frame.tag}> without a <value>`);
        if (frame.tag === 'fault') fault = frame.value;
        else result = { value: frame.value! };
        break;
      case 'params':
        if (frame.children !== 1) fail('a response without a <param>');
        break;
      case 'methodResponse':
        if (frame.children !== 1) fail('an empty <methodResponse>');
        break;
      default:
        produced = scalarValue(frame.tag, frame.text, fail);
    }
    if (produced === undefined || !parent) return;
    if (parent.tag === 'data') {
      // <data> only ever holds <value>s, and the <array> above it owns the list.
      stack[stack.length - 2]!.items!.push(produced);
    } else {
      parent.value = produced;
      parent.hasValue = true;
    }
  });

  const wrap = (error: unknown): XapiTransportError => {
    if (error instanceof XapiTransportError) return error;
    const message = error instanceof Error ? error.message : String(error);
    // saxes prefixes "line:column: " and ends with a full stop; we say "at line L" ourselves.
    return malformed(message.replace(/^\d+:\d+: /, '').replace(/\.$/, ''));
  };

  const guardProlog = (chunk: string) => {
    // Refuse a DOCTYPE as soon as it starts, before the parser buffers its internal subset.
    const probe = prologTail + chunk;
    const rootAt = probe.indexOf('<methodResponse');
    const prolog = rootAt === -1 ? probe : probe.slice(0, rootAt);
    if (prolog.includes('<!DOCTYPE')) fail('a DOCTYPE is not allowed (DTDs and entity declarations are refused)');
    prologLength += chunk.length;
    if (rootAt === -1 && prologLength > PROLOG_LIMIT) fail(`no <methodResponse> within the first ${describeSize(PROLOG_LIMIT)}`);
    prologTail = probe.slice(-16);
  };

  return {
    write(chunk: string) {
      if (failure) throw failure;
      try {
        if (!rootSeen) guardProlog(chunk);
        parser.write(chunk);
      } catch (error) {
        failure = wrap(error);
        throw failure;
      }
    },
    close() {
      if (failure) throw failure;
      try {
        parser.close();
      } catch (error) {
        failure = wrap(error);
        throw failure;
      }
      if (fault !== undefined) {
        const record = typeof fault === 'object' && fault !== null && !Array.isArray(fault) && !(fault instanceof XapiDouble) ? fault : {};
        const code = Object.hasOwn(record, 'faultCode') ? String(record['faultCode']) : '?';
        const text = Object.hasOwn(record, 'faultString') ? String(record['faultString']).slice(0, 200) : '';
        throw new XapiTransportError('malformed', `malformed XML-RPC response: the server answered with an XML-RPC <fault> (faultCode ${code}: ${text})`);
      }
      if (!result) throw new XapiTransportError('malformed', 'malformed XML-RPC response: no <param> in the response');
      return result.value;
    },
  };
}

/** Decodes a whole response held in one string (task.result values, tests). */
export function decodeResponse(xml: string, limits?: Partial<DecodeLimits>): unknown {
  const decoder = createResponseDecoder(limits);
  decoder.write(xml);
  return decoder.close();
}
