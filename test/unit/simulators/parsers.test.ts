/**
 * The simulator's three readers of untrusted text — the dump's s-expressions, XML-RPC requests and
 * JSON-RPC requests — on edge cases and on seeded random and mutated input. Each must return a value or
 * throw its own clear error; never hang, overflow the stack or throw something else.
 */
import { describe, expect, it } from 'vitest';
import {
  JsonRpcParseError,
  parseJsonRpcCall,
  parseSExpr,
  parseXmlRpcCall,
  SExprError,
  writeSExpr,
  XmlRpcParseError,
  type SExpr,
} from '../../../src-main/simulators/xapi';
import { prng } from '../helpers/prng';
import { methodCall, mutate, x } from './wire';

describe('s-expressions as xapi writes them', () => {
  it('reads maps, sets and the empty list', () => {
    expect(parseSExpr("(('k' 'v') ('k2' 'v 2'))")).toEqual([
      ['k', 'v'],
      ['k2', 'v 2'],
    ]);
    expect(parseSExpr("('a' 'b')")).toEqual(['a', 'b']);
    expect(parseSExpr('()')).toEqual([]);
  });

  it('keeps spaces and parentheses inside quotes and unescapes \\\' \\\\ \\"', () => {
    expect(parseSExpr("('(e.g. \\'-o ro\\')')")).toEqual(["(e.g. '-o ro')"]);
    expect(parseSExpr("('C:\\\\Windows|\\\\Device')")).toEqual(['C:\\Windows|\\Device']);
    expect(parseSExpr("('<disk device=\\\"0\\\"/>')")).toEqual(['<disk device="0"/>']);
    expect(parseSExpr('("double quoted" plain)')).toEqual(['double quoted', 'plain']);
    expect(parseSExpr("(('empty' ''))")).toEqual([['empty', '']]);
  });

  it('skips comments and whitespace of all kinds', () => {
    expect(parseSExpr("; a comment\n(\t'a'\r\n 'b' )")).toEqual(['a', 'b']);
  });

  it('throws SExprError for unbalanced lists, unterminated strings, trailing data, empty text and deep nesting', () => {
    for (const bad of ['(', ')', "('a'", "('a)", "() ()", "'a' 'b'", '', '   ', `${'('.repeat(40)}${')'.repeat(40)}`]) {
      expect(() => parseSExpr(bad), JSON.stringify(bad)).toThrow(SExprError);
    }
  });

  it('reads back what it writes, for strings full of quotes, backslashes, brackets and spaces', () => {
    const random = prng(20240601);
    const alphabet = ["'", '"', '\\', '(', ')', ' ', '\t', ';', 'a', 'Z', '0', 'é', '\n'];
    const randomValue = (depth: number): SExpr =>
      depth > 2 || random.chance(0.6)
        ? Array.from({ length: random.int(0, 12) }, () => random.pick(alphabet)).join('')
        : Array.from({ length: random.int(0, 4) }, () => randomValue(depth + 1));
    for (let i = 0; i < 500; i++) {
      const value = randomValue(0);
      expect(parseSExpr(writeSExpr(value))).toEqual(value);
    }
  });

  it('fuzz: random text either parses or throws SExprError', () => {
    const random = prng(7);
    const alphabet = ['(', ')', "'", '"', '\\', ' ', ';', '\n', 'a', 'b'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: random.int(0, 120) }, () => random.pick(alphabet)).join('');
      try {
        parseSExpr(text);
      } catch (error) {
        expect(error, text).toBeInstanceOf(SExprError);
      }
    }
  });
});

describe('XML-RPC requests', () => {
  it('takes strings bare or in <string>, and every scalar type', () => {
    const call = parseXmlRpcCall(
      methodCall('event.from', x.bare('s'), x.array(x.str('pif'), x.bare('bond')), x.str(''), x.double(30.5), x.int(3), '<value><boolean>1</boolean></value>', '<value></value>'),
    );
    expect(call.method).toBe('event.from');
    expect(call.params.slice(0, 3)).toEqual(['s', ['pif', 'bond'], '']);
    expect(call.params[3]).toMatchObject({ value: 30.5 });
    expect(call.params[4]).toMatchObject({ decimal: '3' });
    expect(call.params[5]).toBe(true);
    expect(call.params[6]).toBe('');
  });

  it('reads a pretty-printed request as Python’s xmlrpclib sends it', () => {
    const body = "<?xml version='1.0'?>\n<methodCall>\n<methodName>session.login_with_password</methodName>\n<params>\n<param>\n<value><string>root</string></value>\n</param>\n<param>\n<value>\n<string>pw</string>\n</value>\n</param>\n</params>\n</methodCall>\n";
    expect(parseXmlRpcCall(body)).toEqual({ method: 'session.login_with_password', params: ['root', 'pw'] });
  });

  it('reads structs into Maps, so a "__proto__" key is only data', () => {
    const call = parseXmlRpcCall(methodCall('m', '<value><struct><member><name>__proto__</name><value>x</value></member></struct></value>'));
    expect(call.params[0]).toEqual(new Map([['__proto__', 'x']]));
  });

  it('throws XmlRpcParseError for wrong elements, mixed content, bad ints and too deep nesting', () => {
    const bad = [
      '<methodCall><params/></methodCall>',
      methodCall('m', '<value><i4>12x</i4></value>'),
      methodCall('m', '<value>text<string>x</string></value>'),
      methodCall('m', '<value><struct><member><value>1</value></member></struct></value>'),
      methodCall('m', '<notvalue/>'),
      methodCall('m', `${'<value><array><data>'.repeat(200)}${'</data></array></value>'.repeat(200)}`),
      `<!DOCTYPE a>${methodCall('m')}`,
    ];
    for (const body of bad) expect(() => parseXmlRpcCall(body), body.slice(0, 80)).toThrow(XmlRpcParseError);
  });

  it('refuses 100 000 levels of nesting quickly, without a stack overflow', () => {
    const deep = methodCall('m', `${'<value><array><data>'.repeat(100_000)}${'</data></array></value>'.repeat(100_000)}`);
    const started = Date.now();
    expect(() => parseXmlRpcCall(deep)).toThrow(/nesting too deep/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fuzz: mutated requests parse or throw XmlRpcParseError', () => {
    const random = prng(42);
    const seeds = [
      methodCall('session.login_with_password', x.str('root'), x.bare('xenroot')),
      methodCall('event.from', x.str('OpaqueRef:a'), x.array(x.str('*')), x.str(''), x.double(1.5)),
      methodCall('m', '<value><struct><member><name>k</name><value><i4>1</i4></value></member></struct></value>'),
    ];
    for (let i = 0; i < 3000; i++) {
      const body = mutate(random, random.pick(seeds));
      try {
        const call = parseXmlRpcCall(body);
        expect(typeof call.method).toBe('string');
      } catch (error) {
        expect(error, body).toBeInstanceOf(XmlRpcParseError);
      }
    }
  });
});

describe('JSON-RPC requests', () => {
  it('tells v1 from v2, keeps the id, and turns integers into ints and fractions into doubles', () => {
    const v2 = parseJsonRpcCall('{"jsonrpc":"2.0","method":"event.from","params":["s",["*"],"",30.5,7],"id":"x1"}');
    expect(v2).toMatchObject({ version: 2, idJson: '"x1"', method: 'event.from' });
    expect(v2.params[3]).toMatchObject({ value: 30.5 });
    expect(v2.params[4]).toMatchObject({ decimal: '7' });
    expect(parseJsonRpcCall('{"method":"m","params":[],"id":3}')).toMatchObject({ version: 1, idJson: '3' });
  });

  it('throws JsonRpcParseError for non-JSON, batches, missing ids or methods, and deep nesting', () => {
    for (const bad of ['nope', '[]', '{"method":"m","params":[]}', '{"params":[],"id":1}', '{"method":"m","params":{},"id":1}', `{"method":"m","params":${'['.repeat(100_000)}${']'.repeat(100_000)},"id":1}`]) {
      expect(() => parseJsonRpcCall(bad), bad.slice(0, 60)).toThrow(JsonRpcParseError);
    }
  });

  it('fuzz: mutated requests parse or throw JsonRpcParseError', () => {
    const random = prng(99);
    const seed = '{"jsonrpc":"2.0","method":"PIF.get_all_records","params":["OpaqueRef:1",{"k":[1,2.5,true,null]}],"id":1}';
    for (let i = 0; i < 3000; i++) {
      const body = mutate(random, seed);
      try {
        parseJsonRpcCall(body);
      } catch (error) {
        expect(error, body).toBeInstanceOf(JsonRpcParseError);
      }
    }
  });
});
