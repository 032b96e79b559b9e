import { describe, it, expect } from 'vitest';
import { createResponseDecoder, decodeResponse } from '../../../../src-main/drivers/xenapi/xml-decode';
import { XapiDouble, encodeMethodCall, encodeMethodResponse, type XapiValue } from '../../../../src-main/drivers/xenapi/xml-value';
import { XapiTransportError } from '../../../../src-main/drivers/xenapi/errors';

const response = (value: string) => `<?xml version="1.0"?>\n<methodResponse><params><param>${value}</param></params></methodResponse>`;

function failure(run: () => unknown): XapiTransportError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(XapiTransportError);
    return error as XapiTransportError;
  }
  throw new Error('expected a XapiTransportError, and nothing was thrown');
}

/** Feeds `xml` in pieces of `size` characters, as the HTTP layer does. */
function decodeInChunks(xml: string, size: number): unknown {
  const decoder = createResponseDecoder();
  for (let at = 0; at < xml.length; at += size) decoder.write(xml.slice(at, at + size));
  return decoder.close();
}

describe('XenAPI values on the XML-RPC wire', () => {
  it('round-trips every XenAPI type, with ints coming back as the decimal strings xapi uses', () => {
    const sent: XapiValue = {
      uuid: 'e364e7e1-a33a-9511-2095-b2b3e2e42351',
      empty: '',
      MTU: 1500,
      VLAN: -1,
      big: 2 ** 60,
      physical: true,
      management: false,
      timeout: new XapiDouble(60.1),
      wholeDouble: new XapiDouble(30),
      fraction: 0.25,
      PIFs: ['OpaqueRef:a', 'OpaqueRef:b'],
      none: [],
      other_config: { 'mpath-3600a0b8': '[2, 2]', nested: { deeper: ['x', { y: 'z' }] } },
      noMembers: {},
      text: 'ü 😀 <tag> & "quotes" \'apos\' ]]> line1\r\nline2\tend',
    };
    const decoded = decodeResponse(encodeMethodResponse({ Status: 'Success', Value: sent }));
    expect(decoded).toEqual({
      Status: 'Success',
      Value: {
        ...sent,
        MTU: '1500',
        VLAN: '-1',
        big: '1152921504606846976',
        timeout: 60.1,
        wholeDouble: 30,
        fraction: 0.25,
      },
    });
  });

  it('encodes a call as xapi expects: ints as strings, <boolean>, <double>, everything escaped', () => {
    const xml = encodeMethodCall('event.from', ['OpaqueRef:s', ['pif', 'bond'], '', new XapiDouble(60.1), 1500, true, { 'a<b': 'c&d' }]);
    expect(xml).toContain('<methodName>event.from</methodName>');
    expect(xml).toContain('<param><value><string>1500</string></value></param>');
    expect(xml).toContain('<value><boolean>1</boolean></value>');
    expect(xml).toContain('<value><double>60.1</double></value>');
    expect(xml).toContain('<name>a&lt;b</name><value><string>c&amp;d</string></value>');
    expect(encodeMethodCall('x', [new XapiDouble(60)])).toContain('<double>60.0</double>');
    // A string cannot break out of its element.
    const hostile = encodeMethodCall('m&<x>', ['</string></value><value><boolean>1</boolean>']);
    expect(hostile).toContain('<methodName>m&amp;&lt;x&gt;</methodName>');
    expect(hostile).toContain('&lt;/string&gt;&lt;/value&gt;');
  });

  it('refuses to encode what XML cannot carry, without echoing the value (it may be a password)', () => {
    const run = () => encodeMethodCall('session.login_with_password', ['root', 'pa\u0000ss-secret']);
    expect(run).toThrow(TypeError);
    expect(run).not.toThrow(/secret/);
    expect(() => encodeMethodCall('x', [Number.NaN])).toThrow(TypeError);
    expect(() => encodeMethodCall('x', [null as unknown as XapiValue])).toThrow(/null/);
  });

  it('reads the forms xapi and its docs use: bare <value>, <i4>/<i8>/<int>, 0/1 booleans, dates as sent, whitespace', () => {
    const xml = `<?xml version="1.0"?>
<methodResponse>
  <params>
    <param>
      <value>
        <struct>
          <member><name>ref</name><value>OpaqueRef:X</value></member>
          <member><name>blank</name><value></value></member>
          <member><name>spaces</name><value>  two  </value></member>
          <member><name>i4</name><value><i4>-7</i4></value></member>
          <member><name>i8</name><value><i8>9007199254740991</i8></value></member>
          <member><name>int</name><value><int> 42 </int></value></member>
          <member><name>double</name><value><double>-1.5e3</double></value></member>
          <member><name>yes</name><value><boolean>1</boolean></value></member>
          <member><name>no</name><value><boolean>0</boolean></value></member>
          <member><name>when</name><value><dateTime.iso8601>20190113T19:31:47Z</dateTime.iso8601></value></member>
          <member><name>entities</name><value><string>&lt;&amp;&gt;&quot;&apos;&#x41;&#66;</string></value></member>
        </struct>
      </value>
    </param>
  </params>
</methodResponse>
`;
    expect(decodeResponse(xml)).toEqual({
      ref: 'OpaqueRef:X',
      blank: '',
      spaces: '  two  ',
      i4: -7,
      i8: 9007199254740991,
      int: 42,
      double: -1500,
      yes: true,
      no: false,
      when: '20190113T19:31:47Z',
      entities: '<&>"\'AB',
    });
  });

  it('decodes the same value whatever the chunk boundaries (entities, CRLF and emoji split across chunks)', () => {
    const xml = encodeMethodResponse({ Status: 'Success', Value: { text: 'a&b <c> 😀 é\r\nz', list: ['1', '2', { k: 'v' }] } });
    const whole = decodeResponse(xml);
    for (const size of [1, 2, 3, 7, 64]) expect(decodeInChunks(xml, size)).toEqual(whole);
  });

  it('keeps members named __proto__ and constructor as plain data, polluting no prototype', () => {
    const xml = response(
      '<value><array><data><value><struct>' +
        '<member><name>__proto__</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member>' +
        '<member><name>constructor</name><value><struct><member><name>prototype</name><value>x</value></member></struct></value></member>' +
        '<member><name>toString</name><value>not a function</value></member>' +
        '</struct></value></data></array></value>',
    );
    const [record] = decodeResponse(xml) as Record<string, unknown>[];
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record!)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getOwnPropertyDescriptor(record, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(record!['constructor']).toEqual({ prototype: 'x' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a DOCTYPE at once: a billion-laughs document is rejected before any expansion', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']><methodResponse><params><param><value>&lol9;</value></param></params></methodResponse>';
    const started = performance.now();
    const error = failure(() => decodeResponse(laughs));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.kind).toBe('malformed');
    expect(error.message).toMatch(/^malformed XML-RPC response: a DOCTYPE is not allowed .* at line 1$/);
    // Split so that no chunk holds the whole keyword, and without an internal subset.
    const decoder = createResponseDecoder();
    decoder.write('<?xml version="1.0"?>\n<!DOC');
    expect(() => decoder.write('TYPE methodResponse SYSTEM "file:///etc/passwd">')).toThrow(/DOCTYPE is not allowed/);
  });

  it('refuses undefined entities (no external or prototype lookups)', () => {
    for (const entity of ['&xxe;', '&constructor;', '&__proto__;']) {
      const error = failure(() => decodeResponse(response(`<value>${entity}</value>`)));
      expect(error.message).toMatch(/undefined entity at line 2$/);
    }
  });

  it('refuses a depth bomb of 100 000 nested arrays quickly, without a stack overflow', () => {
    const depth = 100_000;
    const bomb = response('<value><array><data>'.repeat(depth) + '</data></array></value>'.repeat(depth));
    const started = performance.now();
    const error = failure(() => decodeResponse(bomb));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toContain('values nested deeper than 64 levels');
  });

  it('applies its limits exactly at the boundary: depth, string length and item count', () => {
    const nested = (levels: number) => response('<value><array><data>'.repeat(levels - 1) + '<value>x</value>' + '</data></array></value>'.repeat(levels - 1));
    expect(decodeResponse(nested(3), { maxDepth: 3 })).toEqual([['x']]);
    expect(failure(() => decodeResponse(nested(4), { maxDepth: 3 })).message).toContain('nested deeper than 3 levels');

    const text = (length: number) => response(`<value>${'a'.repeat(length)}</value>`);
    expect(decodeInChunks(text(1000), 7)).toHaveLength(1000);
    const long = failure(() => {
      const decoder = createResponseDecoder({ maxStringLength: 1000 });
      const xml = text(1001);
      for (let at = 0; at < xml.length; at += 100) decoder.write(xml.slice(at, at + 100));
      decoder.close();
    });
    expect(long.message).toContain('a string is longer than');

    // The response value itself counts as one.
    const items = (count: number) => response(`<value><array><data>${'<value>i</value>'.repeat(count)}</data></array></value>`);
    expect(decodeResponse(items(9), { maxItems: 10 })).toHaveLength(9);
    expect(failure(() => decodeResponse(items(10), { maxItems: 10 })).message).toContain('more than 10 values');
  });

  it('says where truncated input ends and what is missing', () => {
    const xml = encodeMethodResponse({ Status: 'Success', Value: { a: ['b', 'c'] } });
    for (const cut of [0, 10, 40, xml.length - 20, xml.length - 1]) {
      const error = failure(() => decodeResponse(xml.slice(0, cut)));
      expect(error.kind).toBe('malformed');
      expect(error.message).toMatch(/^malformed XML-RPC response: .+ at line \d+$/);
    }
  });

  it('refuses mismatched tags, unknown tags, stray text and broken members, naming the line', () => {
    const cases: [string, RegExp][] = [
      ['<value><string>x</value></string>', /unexpected close tag at line 4$/],
      ['<value><base64>eA==</base64></value>', /unexpected <base64> inside <value> at line 4$/],
      ['<value><nil/></value>', /unexpected <nil> inside <value>/],
      ['<value><struct>loose text<member><name>a</name><value>b</value></member></struct></value>', /text "loose text" inside <struct>/],
      ['<value><struct><member><value>b</value></member></struct></value>', /a <member> without both <name> and <value>/],
      ['<value><string>a</string><string>b</string></value>', /more than one element inside <value>/],
      ['<value>text<string>b</string></value>', /beside a typed value/],
      ['<value><int>12abc</int></value>', /<int> holds "12abc", not an integer/],
      ['<value><boolean>yes</boolean></value>', /not 0 or 1/],
      ['<value><array><value>x</value></array></value>', /unexpected <value> inside <array>/],
    ];
    for (const [value, expected] of cases) {
      const error = failure(() => decodeResponse(response(value).replace('<param>', '\n<param>\n')));
      expect(error.message).toMatch(expected);
    }
    expect(failure(() => decodeResponse('<methodCall><methodName>x</methodName></methodCall>')).message).toContain('not <methodResponse>');
    expect(failure(() => decodeResponse(response('<value>a</value>') + '<methodResponse/>')).kind).toBe('malformed');
  });

  it('turns an XML-RPC <fault> (which xapi never sends) into a malformed-response error carrying the fault', () => {
    const fault =
      '<?xml version="1.0"?><methodResponse><fault><value><struct>' +
      '<member><name>faultCode</name><value><int>4</int></value></member>' +
      '<member><name>faultString</name><value><string>Too many parameters.</string></value></member>' +
      '</struct></value></fault></methodResponse>';
    const error = failure(() => decodeResponse(fault));
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('XML-RPC <fault> (faultCode 4: Too many parameters.)');
  });

  it('keeps failing once it has failed, and refuses a response with no value', () => {
    const decoder = createResponseDecoder();
    expect(() => decoder.write('<methodResponse><oops>')).toThrow(XapiTransportError);
    expect(() => decoder.write('</oops>')).toThrow(/unexpected <oops>/);
    expect(() => decoder.close()).toThrow(/unexpected <oops>/);
    expect(failure(() => decodeResponse('<methodResponse><params></params></methodResponse>')).message).toContain('without a <param>');
  });
});
