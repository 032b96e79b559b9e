/**
 * The bounded, streaming decoder for XML-RPC responses (reference §1.2, §1.4). It is fed chunks as they
 * arrive, so a response is never held as one big string; it refuses anything outside the XML-RPC grammar,
 * any DTD (no entity expansion, no XML bombs), nesting deeper than `maxDepth`, strings longer than
 * `maxStringLength` and more than `maxItems` values, always with a XapiTransportError('malformed') that names
 * the problem and the line.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { XapiTransportError, describeSize } from './errors';
import { XapiDouble, type XapiValue } from './xml-value';

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

/**
 * Element names as small numbers, so that the grammar check every element passes is a bit test and a frame
 * holds no strings. TAG_NAMES gives them back for messages.
 */
const METHOD_RESPONSE = 0, PARAMS = 1, PARAM = 2, FAULT = 3, VALUE = 4, ARRAY = 5, DATA = 6, STRUCT = 7, MEMBER = 8, NAME = 9;
const STRING = 10, INT = 11, I4 = 12, I8 = 13, DOUBLE = 14, BOOLEAN = 15, DATE_TIME = 16;
const UNKNOWN = -1;
const TAG_NAMES = ['methodResponse', 'params', 'param', 'fault', 'value', 'array', 'data', 'struct', 'member', 'name', 'string', 'int', 'i4', 'i8', 'double', 'boolean', 'dateTime.iso8601'] as const;

const bits = (...tags: number[]) => tags.reduce((mask, tag) => mask | (1 << tag), 0);
const SCALARS = bits(STRING, INT, I4, I8, DOUBLE, BOOLEAN, DATE_TIME);

/** Which child elements each element may hold (the XML-RPC grammar; xapi uses no base64 and no nil), as bit masks. */
const CHILDREN: readonly number[] = [
  /* methodResponse */ bits(PARAMS, FAULT),
  /* params */ bits(PARAM),
  /* param */ bits(VALUE),
  /* fault */ bits(VALUE),
  /* value */ SCALARS | bits(ARRAY, STRUCT),
  /* array */ bits(DATA),
  /* data */ bits(VALUE),
  /* struct */ bits(MEMBER),
  /* member */ bits(NAME, VALUE),
  /* name and the scalars hold no elements */ 0, 0, 0, 0, 0, 0, 0, 0,
];

/** Elements whose text is data; in every other element only whitespace may appear between children. */
const HOLDS_TEXT = SCALARS | bits(VALUE, NAME);
/** Elements that may hold several children; the others hold at most one. */
const MANY_CHILDREN = bits(PARAMS, DATA, STRUCT, MEMBER);

/**
 * The number for a tag name the parser hands over as a fresh string. A switch on the length first:
 * comparing a fresh string with literals of other lengths is free, where hashing it for a Map lookup was a
 * tenth of the decoder's time.
 */
function tagOf(name: string): number {
  switch (name.length) {
    case 2:
      return name === 'i4' ? I4 : name === 'i8' ? I8 : UNKNOWN;
    case 3:
      return name === 'int' ? INT : UNKNOWN;
    case 4:
      return name === 'name' ? NAME : name === 'data' ? DATA : UNKNOWN;
    case 5:
      return name === 'value' ? VALUE : name === 'param' ? PARAM : name === 'array' ? ARRAY : name === 'fault' ? FAULT : UNKNOWN;
    case 6:
      return name === 'member' ? MEMBER : name === 'string' ? STRING : name === 'struct' ? STRUCT : name === 'params' ? PARAMS : name === 'double' ? DOUBLE : UNKNOWN;
    case 7:
      return name === 'boolean' ? BOOLEAN : UNKNOWN;
    case 14:
      return name === 'methodResponse' ? METHOD_RESPONSE : UNKNOWN;
    case 16:
      return name === 'dateTime.iso8601' ? DATE_TIME : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/**
 * One open element. Frames are reused by depth (a response opens millions of elements and is never more
 * than a few dozen deep), so opening an element allocates nothing but the array or struct it builds.
 */
interface Frame {
  tag: number;
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

const WHITESPACE = /^[ \t\r\n]*$/;
const INTEGER = /^[+-]?[0-9]+$/;
const DOUBLE_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * A string the parser cut out of the chunk it was reading shares that chunk's memory (V8 slices strings of 13
 * characters and more), so keeping a few refs would keep every chunk of the response alive for as long as
 * the pool's records are held: the response twice over, scanned by every GC (measured on a 4 MB load: 7.6 MB
 * held instead of 3.9). A string of its own frees the chunk; a round trip through JSON is the cheapest way
 * found to make V8 write one (no slower here than keeping the slice, since the GC then has less to copy).
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}

/** Sets a member so that "__proto__" becomes an own property instead of replacing the object's prototype. */
function setMember(target: { [key: string]: XapiValue }, name: string, value: XapiValue): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  else target[name] = value;
}

function scalarValue(tag: number, raw: string, fail: (message: string) => never): XapiValue {
  switch (tag) {
    case STRING:
    case DATE_TIME:
      return ownCopy(raw);
    case INT:
    case I4:
    case I8: {
      const text = raw.trim();
      if (!INTEGER.test(text)) fail(`<${TAG_NAMES[tag]}> holds "${text.slice(0, 40)}", not an integer`);
      return Number(text);
    }
    case DOUBLE: {
      const text = raw.trim();
      if (DOUBLE_TEXT.test(text)) return Number(text);
      // OCaml's printf gives these for non-finite floats.
      const special = text.toLowerCase();
      if (special === 'nan' || special === '-nan') return Number.NaN;
      if (special === 'inf' || special === 'infinity' || special === '+inf') return Number.POSITIVE_INFINITY;
      if (special === '-inf' || special === '-infinity') return Number.NEGATIVE_INFINITY;
      return fail(`<double> holds "${text.slice(0, 40)}", not a number`);
    }
    default: {
      // BOOLEAN, the last scalar
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
  /** Frames by depth, reused; frames[0 … depth-1] are the open elements. */
  const frames: Frame[] = [];
  let depth = 0;
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

  const appendText = (text: string) => {
    if (depth === 0) return; // whitespace around the root; saxes refuses anything else there
    const frame = frames[depth - 1]!;
    const tag = frame.tag;
    if ((HOLDS_TEXT & (1 << tag)) === 0) {
      if (!WHITESPACE.test(text)) fail(`text "${text.trim().slice(0, 40)}" inside <${TAG_NAMES[tag]}>`);
      return;
    }
    if (tag === VALUE && frame.children > 0) {
      if (!WHITESPACE.test(text)) fail(`text "${text.trim().slice(0, 40)}" beside a typed value`);
      return;
    }
    if (frame.text.length + text.length > maxStringLength) fail(`a string is longer than ${describeSize(maxStringLength)} characters`);
    frame.text += text;
  };

  parser.on('doctype', () => fail('a DOCTYPE is not allowed (DTDs and entity declarations are refused)'));
  parser.on('text', appendText);
  parser.on('cdata', (text) => {
    if (depth === 0) fail('CDATA outside the document');
    appendText(text);
  });

  parser.on('opentag', (element: SaxesTagPlain) => {
    const tag = tagOf(element.name);
    if (depth === 0) {
      if (tag !== METHOD_RESPONSE) fail(`the document is <${element.name}>, not <methodResponse>`);
      rootSeen = true;
    } else {
      const parent = frames[depth - 1]!;
      const within = parent.tag;
      if (tag === UNKNOWN || (CHILDREN[within]! & (1 << tag)) === 0) fail(`unexpected <${element.name}> inside <${TAG_NAMES[within]}>`);
      parent.children += 1;
      if (parent.children > 1 && (MANY_CHILDREN & (1 << within)) === 0) fail(`more than one element inside <${TAG_NAMES[within]}>`);
      if (within === PARAMS && parent.children > 1) fail('more than one <param> in a response');
      if (within === MEMBER && ((tag === NAME && parent.name !== undefined) || (tag === VALUE && parent.hasValue))) fail(`a <member> with two <${element.name}>s`);
      if (within === VALUE && parent.text.length > 0 && !WHITESPACE.test(parent.text)) fail(`text "${parent.text.trim().slice(0, 40)}" beside a typed value`);
    }
    if (tag === VALUE) {
      valueDepth += 1;
      if (valueDepth > maxDepth) fail(`values nested deeper than ${maxDepth} levels`);
      items += 1;
      if (items > maxItems) fail(`more than ${maxItems} values`);
    }
    let frame = frames[depth];
    if (frame === undefined) {
      // Every frame gets every field up front, so all frames share one object shape.
      frame = { tag, text: '', children: 0, value: undefined, hasValue: false, name: undefined, items: undefined, members: undefined };
      frames[depth] = frame;
    } else {
      frame.tag = tag;
      frame.text = '';
      frame.children = 0;
      frame.value = undefined;
      frame.hasValue = false;
      frame.name = undefined;
    }
    frame.items = tag === ARRAY ? [] : undefined;
    frame.members = tag === STRUCT ? {} : undefined;
    depth += 1;
  });

  parser.on('closetag', () => {
    depth -= 1;
    const frame = frames[depth]!;
    const parent = depth > 0 ? frames[depth - 1]! : undefined;
    let produced: XapiValue | undefined;
    switch (frame.tag) {
      case VALUE:
        valueDepth -= 1;
        // A bare <value>x</value> is a string (reference §1.2).
        produced = frame.hasValue ? frame.value! : ownCopy(frame.text);
        break;
      case ARRAY:
        if (frame.children !== 1) fail('an <array> without <data>');
        produced = frame.items!;
        break;
      case DATA:
        // The items were handed to the enclosing <array> as each <value> closed.
        break;
      case STRUCT:
        produced = frame.members!;
        break;
      case MEMBER:
        if (frame.name === undefined || !frame.hasValue) fail('a <member> without both <name> and <value>');
        setMember(parent!.members!, frame.name!, frame.value!);
        break;
      case NAME:
        // A member name becomes a property key, which V8 copies into its own table: no ownCopy needed.
        parent!.name = frame.text;
        break;
      case PARAM:
      case FAULT:
        if (!frame.hasValue) fail(`a <${TAG_NAMES[frame.tag]}> without a <value>`);
        if (frame.tag === FAULT) fault = frame.value;
        else result = { value: frame.value! };
        break;
      case PARAMS:
        if (frame.children !== 1) fail('a response without a <param>');
        break;
      case METHOD_RESPONSE:
        if (frame.children !== 1) fail('an empty <methodResponse>');
        break;
      default:
        produced = scalarValue(frame.tag, frame.text, fail);
    }
    // The frame stays for reuse: it must not keep what it built alive.
    frame.value = undefined;
    frame.items = undefined;
    frame.members = undefined;
    if (produced === undefined || !parent) return;
    if (parent.tag === DATA) {
      // <data> only ever holds <value>s, and the <array> above it owns the list.
      frames[depth - 2]!.items!.push(produced);
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
