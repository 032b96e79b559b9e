/**
 * Random damage to a realistic XML-RPC answer (a PIF.get_all_records with the field names of the cowley1 xapi
 * database dump, test/fixtures/xapi/cowley1.xml): whatever arrives, the decoder returns a value or throws
 * XapiTransportError; nothing else escapes, and no prototype is touched. Seeded, so a failure replays.
 */
import { describe, it, expect } from 'vitest';
import { StringDecoder } from 'node:string_decoder';
import { prng, type Prng } from '../../helpers/prng';
import { createResponseDecoder } from '../../../../src-main/drivers/xenapi/xml-decode';
import { encodeMethodResponse, type XapiValue } from '../../../../src-main/drivers/xenapi/xml-value';
import { XapiTransportError } from '../../../../src-main/drivers/xenapi/errors';

function pifRecord(index: number): XapiValue {
  const hex = index.toString(16).padStart(2, '0');
  return {
    uuid: `e364e7e1-a33a-9511-2095-b2b3e2e423${hex}`,
    device: `eth${index}`,
    device_name: `eth${index}`,
    MAC: `00:15:17:8a:31:${hex}`,
    MTU: '1500', // ints travel as strings on XML-RPC (reference §1.4)
    VLAN: index === 3 ? '2' : '-1',
    physical: index !== 3,
    management: index === 0,
    currently_attached: true,
    disallow_unplug: false,
    ip_configuration_mode: index === 0 ? 'Static' : 'None',
    IP: index === 0 ? '10.80.239.1' : '',
    netmask: index === 0 ? '255.255.240.0' : '',
    gateway: '',
    DNS: '',
    network: `OpaqueRef:d0cf5d82-fead-6d67-34b0-7083c69ccae${index}`,
    host: 'OpaqueRef:1ac6c07b-daa2-ea50-7f23-858cd7946e39',
    metrics: `OpaqueRef:d4a6f178-5483-27fb-a0c2-cabd8d2e7e0${index}`,
    bond_slave_of: index === 1 || index === 2 ? 'OpaqueRef:61bfad0c-392d-4904-bb4e-cc535358d8ef' : 'OpaqueRef:NULL',
    bond_master_of: [],
    VLAN_master_of: 'OpaqueRef:NULL',
    VLAN_slave_of: index === 1 ? ['OpaqueRef:8aa33475-d2f6-16e1-2b9c-1b51f9d4fd7f'] : [],
    other_config: index === 0 ? { 'management_purpose': 'Management & <storage>' } : {},
  };
}

const records: Record<string, XapiValue> = {};
for (let i = 0; i < 6; i++) records[`OpaqueRef:70f584bb-e191-e619-226f-6d701355c3${i}c`] = pifRecord(i);
const original = Buffer.from(encodeMethodResponse({ Status: 'Success', Value: records }), 'utf8');

const SNIPPETS = [
  '<', '>', '&', ';', '/', '"', '\u0000', '\r', '\n', ']]>', '<![CDATA[', '<!--', '-->', '<?pi ?>',
  '<!DOCTYPE a [<!ENTITY x "xx">]>', '&x;', '&amp;', '&#0;', '&#x10FFFF;', '&#xD800;', '<value>', '</value>',
  '<struct>', '</struct>', '<member>', '<name>__proto__</name>', '<array><data>', '</data></array>', '<int>',
  '</int>', '<double>1e999</double>', '<boolean>2</boolean>', '<fault>', '\u{1F600}', '\uFFFE',
];

function mutate(random: Prng, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  const edits = random.int(1, 4);
  for (let n = 0; n < edits; n++) {
    const at = random.int(0, bytes.length);
    switch (random.int(0, 4)) {
      case 0: // flip a byte (may break UTF-8 too)
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = random.int(0, 255);
        break;
      case 1: // drop a run
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + random.int(1, 40)))]);
        break;
      case 2: // insert something XML-ish
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(random.pick(SNIPPETS), 'utf8'), bytes.subarray(at)]);
        break;
      case 3: // truncate
        bytes = bytes.subarray(0, at);
        break;
      default: // duplicate a run
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + random.int(1, 200)), bytes.subarray(at)]);
    }
  }
  return bytes;
}

/** As the HTTP layer feeds it: random chunk sizes, bytes decoded to text by a StringDecoder. */
function decodeChunked(random: Prng, bytes: Buffer): unknown {
  const decoder = createResponseDecoder({ maxDepth: 16, maxItems: 5000, maxStringLength: 4096 });
  const text = new StringDecoder('utf8');
  for (let at = 0; at < bytes.length; ) {
    const size = random.int(1, 512);
    decoder.write(text.write(bytes.subarray(at, at + size)));
    at += size;
  }
  decoder.write(text.end());
  return decoder.close();
}

describe('the XML-RPC decoder under random damage', () => {
  it('decodes the undamaged answer in any chunking', () => {
    const random = prng(7);
    for (let i = 0; i < 20; i++) expect(decodeChunked(random, original)).toEqual({ Status: 'Success', Value: records });
  });

  it('returns a value or throws XapiTransportError for 3000 damaged answers, and pollutes nothing', () => {
    const random = prng(20_261_125);
    const outcomes = { decoded: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const damaged = mutate(random, original);
      try {
        decodeChunked(random, damaged);
        outcomes.decoded += 1;
      } catch (error) {
        if (!(error instanceof XapiTransportError)) {
          throw new Error(`case ${i} threw ${String(error)} for input ${JSON.stringify(damaged.toString('latin1').slice(0, 200))}…`);
        }
        expect(error.kind).toBe('malformed');
        outcomes.refused += 1;
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    // Both paths were exercised: the damage is neither always fatal nor always harmless.
    expect(outcomes.decoded).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(1000);
  });
});
