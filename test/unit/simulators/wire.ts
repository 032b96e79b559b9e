/**
 * Hand-written XenAPI requests for the simulator tests, sent with raw fetch to 127.0.0.1, and a small
 * independent XML-RPC response reader. Deliberately shares no code with src-main (neither the simulator's
 * own codecs nor the app's XenAPI client): the tests check the simulator against the wire format itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import type { Prng } from '../helpers/prng';

export const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/xapi/${name}`, import.meta.url)), 'utf8');

export const demoDump = () => readFileSync(fileURLToPath(new URL('../../../resources/demo-lab.xapi-db.xml', import.meta.url)), 'utf8');

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XML-RPC parameter builders. `bare` is the form xapi's docs use: <value>text</value>, no <string>. */
export const x = {
  str: (text: string) => `<value><string>${escapeXml(text)}</string></value>`,
  bare: (text: string) => `<value>${escapeXml(text)}</value>`,
  double: (n: number) => `<value><double>${n}</double></value>`,
  int: (n: number) => `<value><i4>${n}</i4></value>`,
  array: (...items: string[]) => `<value><array><data>${items.join('')}</data></array></value>`,
};

export const methodCall = (method: string, ...params: string[]) =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params
    .map((p) => `<param>${p}</param>`)
    .join('')}</params></methodCall>`;

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

export async function post(url: string, body: string, contentType = 'text/xml'): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

export const xmlrpc = (url: string, method: string, ...params: string[]) => post(url, methodCall(method, ...params));

export async function jsonrpc(url: string, request: object): Promise<Answer & { json: Record<string, unknown> }> {
  const answer = await post(`${url}/jsonrpc`, JSON.stringify(request), 'application/json');
  return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> };
}

/** A decoded XML-RPC value; doubles and datetimes are tagged so tests can tell them apart. */
export type Decoded = string | boolean | null | { double: number } | { dateTime: string } | { i4: number } | Decoded[] | { [key: string]: Decoded };

interface Node {
  name: string;
  children: Node[];
  text: string;
}

function decode(node: Node): Decoded {
  if (node.name !== 'value') throw new Error(`expected <value>, got <${node.name}>`);
  const typed = node.children[0];
  if (!typed) return node.text;
  switch (typed.name) {
    case 'string':
      return typed.text;
    case 'boolean':
      return typed.text === '1';
    case 'double':
      return { double: Number(typed.text) };
    case 'i4':
    case 'int':
      return { i4: Number(typed.text) };
    case 'dateTime.iso8601':
      return { dateTime: typed.text };
    case 'nil':
      return null;
    case 'array':
      return (typed.children[0]?.children ?? []).map(decode);
    case 'struct': {
      const out: { [key: string]: Decoded } = Object.create(null) as { [key: string]: Decoded };
      for (const member of typed.children) out[member.children[0]!.text] = decode(member.children[1]!);
      return out;
    }
    default:
      throw new Error(`unexpected <${typed.name}>`);
  }
}

/** The {Status, Value | ErrorDescription} struct of an XML-RPC response body. */
export function readResponse(body: string): { Status: string; Value?: Decoded; ErrorDescription?: string[] } {
  const root: Node = { name: '#', children: [], text: '' };
  const stack = [root];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const node: Node = { name: tag.name, children: [], text: '' };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (text) => {
    stack[stack.length - 1]!.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(body).close();
  const value = root.children[0]!.children[0]!.children[0]!.children[0]!; // methodResponse/params/param/value
  return decode(value) as { Status: string; Value?: Decoded; ErrorDescription?: string[] };
}

/** Calls over XML-RPC and returns the decoded envelope; fails the test on a non-200 answer. */
export async function call(url: string, method: string, ...params: string[]) {
  const answer = await xmlrpc(url, method, ...params);
  if (answer.status !== 200) throw new Error(`${method}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  return readResponse(answer.body);
}

export async function login(url: string, user = 'root', password = 'xenroot'): Promise<string> {
  const envelope = await call(url, 'session.login_with_password', x.str(user), x.str(password));
  if (envelope.Status !== 'Success') throw new Error(`login failed: ${JSON.stringify(envelope.ErrorDescription)}`);
  return envelope.Value as string;
}

export const asStruct = (value: Decoded | undefined) => value as { [key: string]: Decoded };

/** Deletes, duplicates, swaps or inserts characters and tags: the kind of damage a bad peer sends. */
export function mutate(random: Prng, text: string): string {
  let out = text;
  const pieces = ['<', '>', '/', '"', '&', '&amp;', '&#0;', '<value>', '</value>', '<array>', '<struct>', '<![CDATA[', ']]>', '{', '}', '[', ']', ',', ':', '\u0000', '\uffff', '1e999'];
  for (let n = random.int(1, 6); n > 0; n--) {
    const at = random.int(0, out.length);
    switch (random.int(0, 3)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + random.int(1, 10));
        break;
      case 1:
        out = out.slice(0, at) + random.pick(pieces) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at, at + random.int(1, 30)).repeat(random.int(2, 4)) + out.slice(at);
        break;
      default: {
        const other = random.int(0, out.length);
        out = out.slice(0, Math.min(at, other)) + out.slice(Math.max(at, other));
      }
    }
  }
  return out;
}
