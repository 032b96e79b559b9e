/**
 * XML-RPC as xapi speaks it (ocaml-rpc's Xmlrpc module): requests parsed with the same leniency
 * (a bare <value>text</value> is a string, <value></value> is ""), responses written byte for byte the
 * way xapi writes them: strings and ints as bare <value>…</value>, <boolean>0|1</boolean>, <double>
 * in %.16g, and always a {Status, Value | ErrorDescription} struct, never an XML-RPC <fault>.
 *
 * Requests are read with saxes in strict mode into a small tree bounded in depth and size; a DOCTYPE is
 * refused outright. Anything malformed raises XmlRpcParseError, which the server turns into the HTTP 500
 * page xapi shows for `Xmlrpc.Parse_error`.
 */
import { SaxesParser } from 'saxes';
import {
  WireDateTime,
  WireDouble,
  WireInt,
  WireInt32,
  formatDouble,
  type CallResult,
  type WireCall,
  type WireStruct,
  type WireValue,
} from './wire-value';

export const XMLRPC_LIMITS = { maxDepth: 64, maxElements: 200_000 } as const;

export class XmlRpcParseError extends Error {
  override readonly name = 'XmlRpcParseError';
  constructor(
    readonly got: string,
    readonly expected: string,
  ) {
    super(`Xmlrpc.Parse_error("${got}", "${expected}", _)`);
  }
}

interface Element {
  name: string;
  children: Element[];
  text: string;
}

function readTree(body: string): Element {
  const root: Element = { name: '#document', children: [], text: '' };
  const stack: Element[] = [root];
  let count = 0;
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('doctype', () => {
    throw new XmlRpcParseError('dtd', 'open_tag(methodCall)');
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('cdata', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('opentag', (tag) => {
    if (++count > XMLRPC_LIMITS.maxElements) throw new XmlRpcParseError('too many elements', `at most ${XMLRPC_LIMITS.maxElements}`);
    if (stack.length > XMLRPC_LIMITS.maxDepth) throw new XmlRpcParseError('nesting too deep', `at most ${XMLRPC_LIMITS.maxDepth} levels`);
    const element: Element = { name: tag.name, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  try {
    parser.write(body).close();
  } catch (error) {
    if (error instanceof XmlRpcParseError) throw error;
    throw new XmlRpcParseError(`xml(${(error as Error).message.replace(/"/g, "'")})`, 'well-formed XML');
  }
  return root;
}

const isBlank = (text: string) => /^[ \t\n\r]*$/.test(text);

function only(element: Element, expected: string): Element {
  if (!isBlank(element.text)) throw new XmlRpcParseError(`data(${element.text.trim().slice(0, 40)})`, `open_tag(${expected})`);
  const [first, ...rest] = element.children;
  if (!first) throw new XmlRpcParseError(`close_tag`, `open_tag(${expected})`);
  if (first.name !== expected) throw new XmlRpcParseError(`open_tag(${first.name})`, `open_tag(${expected})`);
  if (rest.length > 0) throw new XmlRpcParseError(`open_tag(${rest[0]!.name})`, `close_tag(${element.name})`);
  return first;
}

function leaf(element: Element): string {
  if (element.children.length > 0) throw new XmlRpcParseError(`open_tag(${element.children[0]!.name})`, 'data');
  return element.text;
}

function children(element: Element, expected: string): Element[] {
  if (!isBlank(element.text)) throw new XmlRpcParseError(`data(${element.text.trim().slice(0, 40)})`, `open_tag(${expected})`);
  for (const child of element.children) {
    if (child.name !== expected) throw new XmlRpcParseError(`open_tag(${child.name})`, `open_tag(${expected})`);
  }
  return element.children;
}

function valueOf(element: Element): WireValue {
  if (element.name !== 'value') throw new XmlRpcParseError(`open_tag(${element.name})`, 'open_tag(value)');
  if (element.children.length === 0) return element.text; // a bare string, possibly empty
  const typed = only(element, element.children[0]!.name);
  const text = () => leaf(typed);
  switch (typed.name) {
    case 'int':
    case 'i4':
    case 'i8': {
      const value = text().trim();
      if (!/^[+-]?\d{1,19}$/.test(value)) throw new XmlRpcParseError(`int(${value.slice(0, 30)})`, 'an integer');
      return new WireInt(BigInt(value).toString());
    }
    case 'boolean':
      return text() === '1';
    case 'double': {
      const value = Number(text().trim());
      if (text().trim() === '' || Number.isNaN(value)) throw new XmlRpcParseError(`double(${text().slice(0, 30)})`, 'a float');
      return new WireDouble(value);
    }
    case 'string':
      return text();
    case 'dateTime.iso8601':
      return new WireDateTime(text());
    case 'base64':
      return Buffer.from(text(), 'base64').toString('utf8');
    case 'nil':
      text();
      return null;
    case 'array':
      if (typed.children.length === 0 && isBlank(typed.text)) return [];
      return children(only(typed, 'data'), 'value').map(valueOf);
    case 'struct': {
      const struct: WireStruct = new Map();
      for (const member of children(typed, 'member')) {
        const [name, value, ...rest] = member.children;
        if (!isBlank(member.text)) throw new XmlRpcParseError(`data(${member.text.trim().slice(0, 40)})`, 'open_tag(name)');
        if (!name || name.name !== 'name') throw new XmlRpcParseError(name ? `open_tag(${name.name})` : 'close_tag', 'open_tag(name)');
        if (!value) throw new XmlRpcParseError('close_tag', 'open_tag(value)');
        if (rest.length > 0) throw new XmlRpcParseError(`open_tag(${rest[0]!.name})`, 'close_tag(member)');
        struct.set(leaf(name), valueOf(value));
      }
      return struct;
    }
    default:
      throw new XmlRpcParseError(
        `open_tag(${typed.name})`,
        'open_tag(int/i8/i4/boolean/double/string/dateTime.iso8601/array/struct/nil)',
      );
  }
}

export function parseXmlRpcCall(body: string): WireCall {
  const root = readTree(body);
  const call = only(root, 'methodCall');
  if (!isBlank(call.text)) throw new XmlRpcParseError(`data(${call.text.trim().slice(0, 40)})`, 'open_tag(methodName)');
  const [nameElement, paramsElement, ...rest] = call.children;
  if (!nameElement || nameElement.name !== 'methodName') {
    throw new XmlRpcParseError(nameElement ? `open_tag(${nameElement.name})` : 'close_tag', 'open_tag(methodName)');
  }
  if (rest.length > 0) throw new XmlRpcParseError(`open_tag(${rest[0]!.name})`, 'close_tag(methodCall)');
  if (paramsElement && paramsElement.name !== 'params') {
    throw new XmlRpcParseError(`open_tag(${paramsElement.name})`, 'open_tag(params)');
  }
  const params = paramsElement ? children(paramsElement, 'param').map((param) => valueOf(only(param, 'value'))) : [];
  return { method: leaf(nameElement).trim(), params };
}

// ocaml-rpc's encoder: the five XML specials escaped, other control characters dropped.
export function xmlEscape(text: string): string {
  return text.replace(/[<>&"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '',
  );
}

export function encodeXmlRpcValue(value: WireValue, out: string[]): void {
  if (value === null) out.push('<value><nil/></value>');
  else if (typeof value === 'string') out.push('<value>', xmlEscape(value), '</value>');
  else if (typeof value === 'boolean') out.push('<value><boolean>', value ? '1' : '0', '</boolean></value>');
  else if (value instanceof WireInt) out.push('<value>', value.decimal, '</value>');
  else if (value instanceof WireInt32) out.push('<value><i4>', String(value.value), '</i4></value>');
  else if (value instanceof WireDouble) out.push('<value><double>', formatDouble(value.value), '</double></value>');
  else if (value instanceof WireDateTime) out.push('<value><dateTime.iso8601>', xmlEscape(value.iso), '</dateTime.iso8601></value>');
  else if (Array.isArray(value)) {
    out.push('<value><array><data>');
    for (const item of value) encodeXmlRpcValue(item, out);
    out.push('</data></array></value>');
  } else {
    out.push('<value><struct>');
    for (const [name, member] of value) {
      out.push('<member><name>', xmlEscape(name), '</name>');
      encodeXmlRpcValue(member, out);
      out.push('</member>');
    }
    out.push('</struct></value>');
  }
}

export const XMLRPC_HEAD = '<?xml version="1.0"?><methodResponse><params><param>';
export const XMLRPC_TAIL = '</param></params></methodResponse>';

export function encodeXmlRpcResponse(result: CallResult): string {
  const envelope: WireStruct = result.ok
    ? new Map<string, WireValue>([
        ['Status', 'Success'],
        ['Value', result.value],
      ])
    : new Map<string, WireValue>([
        ['Status', 'Failure'],
        ['ErrorDescription', result.error],
      ]);
  const out = [XMLRPC_HEAD];
  encodeXmlRpcValue(envelope, out);
  out.push(XMLRPC_TAIL);
  return out.join('');
}

/** The page xapi's HTTP server sends with a 500 (http_svr.ml response_internal_error). */
export function internalErrorPage(extra?: string): string {
  const additional = extra === undefined ? '' : `<h1> Additional information </h1>${xmlEscape(extra)}`;
  return (
    '<html><body><h1>HTTP 500 internal server error</h1>An unexpected error occurred; please wait a while and ' +
    'try again. If the problem persists, please contact your support representative.' +
    additional +
    '</body></html>'
  );
}
