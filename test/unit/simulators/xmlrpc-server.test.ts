/**
 * The simulator over XML-RPC, spoken by hand: what a real xapi sends back, byte for byte where it matters
 * (types of values on the wire, the {Status, Value | ErrorDescription} envelope, error codes and their
 * parameters, the HTTP 500 page for a malformed request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXapiSimulator, type XapiSimulator } from '../../../src-main/simulators/xapi';
import { asStruct, call, fixture, login, methodCall, post, readResponse, x, xmlrpc } from './wire';

let sim: XapiSimulator;
let session: string;

beforeAll(async () => {
  sim = await startXapiSimulator({ dump: fixture('cowley1.xml') });
  session = await login(sim.url);
});
afterAll(() => sim.close());

describe('XML-RPC wire format', () => {
  it('answers login with a fresh opaque session ref in a Success struct, as text/xml', async () => {
    const answer = await xmlrpc(sim.url, 'session.login_with_password', x.bare('root'), x.bare('xenroot'), x.str('1.3'), x.str('test'));
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/xml');
    expect(answer.body).toMatch(/^<\?xml version="1.0"\?><methodResponse><params><param><value><struct><member><name>Status<\/name><value>Success<\/value><\/member>/);
    const value = readResponse(answer.body).Value as string;
    expect(value).toMatch(/^OpaqueRef:[0-9a-f-]{36}$/);
    expect(value).not.toBe(session);
  });

  it('sends a bool as <boolean>, an int (MTU, VLAN) as a decimal string, a set as <array>, a map as <struct>', async () => {
    const answer = await xmlrpc(sim.url, 'PIF.get_all_records', x.str(session));
    expect(answer.body).toContain('<member><name>physical</name><value><boolean>1</boolean></value></member>');
    expect(answer.body).toContain('<member><name>MTU</name><value>1500</value></member>');
    expect(answer.body).toContain('<member><name>MTU</name><value>-1</value></member>'); // a bond master before plug
    expect(answer.body).toContain('<member><name>VLAN</name><value>2</value></member>');
    expect(answer.body).toContain('<member><name>other_config</name><value><struct></struct></value></member>');
    expect(answer.body).not.toContain('<i4>');
    const records = asStruct(readResponse(answer.body).Value);
    expect(Object.keys(records)).toHaveLength(16);
    const first = asStruct(Object.values(records)[0]);
    expect(Array.isArray(first.bond_master_of)).toBe(true);
    expect(Array.isArray(first.VLAN_slave_of)).toBe(true);
  });

  it('never puts a field xapi keeps internal on the wire (PIF.device_name)', async () => {
    const answer = await xmlrpc(sim.url, 'PIF.get_all_records', x.str(session));
    expect(answer.body).not.toContain('<name>device_name</name>');
    expect(answer.body).toContain('<name>device</name>');
  });

  it('sends datetimes as <dateTime.iso8601> and floats as <double>', async () => {
    const body = (await xmlrpc(sim.url, 'PIF_metrics.get_all_records', x.str(session))).body;
    expect(body).toMatch(/<member><name>last_updated<\/name><value><dateTime.iso8601>\d{8}T\d\d:\d\d:\d\dZ<\/dateTime.iso8601><\/value><\/member>/);
    expect(body).toMatch(/<member><name>io_read_kbs<\/name><value><double>0<\/double><\/value><\/member>/);
  });

  it('answers get_record, get_by_uuid, get_all and free get_<field> getters', async () => {
    const hosts = (await call(sim.url, 'host.get_all', x.str(session))).Value as string[];
    expect(hosts).toHaveLength(2);
    const record = asStruct((await call(sim.url, 'host.get_record', x.str(session), x.str(hosts[0]!))).Value);
    expect(record.name_label).toBeTypeOf('string');
    expect((await call(sim.url, 'host.get_by_uuid', x.str(session), x.str(record.uuid as string))).Value).toBe(hosts[0]);
    expect((await call(sim.url, 'host.get_API_version_major', x.str(session), x.str(hosts[0]!))).Value).toBe('1');
    expect((await call(sim.url, 'host.get_enabled', x.str(session), x.bare(hosts[0]!))).Value).toBe(true);
    expect((await call(sim.url, 'pool.get_all', x.str(session))).Value).toHaveLength(1);
  });

  it('accepts the request on /RPC2 and on any other path, like xapi (longest prefix is /)', async () => {
    for (const path of ['/RPC2', '/xmlrpc']) {
      const answer = await post(`${sim.url}${path}`, methodCall('pool.get_all', x.str(session)));
      expect(readResponse(answer.body).Status).toBe('Success');
    }
  });
});

describe('XML-RPC errors, as xapi names them', () => {
  it('SESSION_AUTHENTICATION_FAILED for a wrong password', async () => {
    const envelope = await call(sim.url, 'session.login_with_password', x.str('root'), x.str('wrong'));
    expect(envelope).toEqual({ Status: 'Failure', ErrorDescription: ['SESSION_AUTHENTICATION_FAILED', 'root', 'Authentication failure'] });
  });

  it('SESSION_INVALID [handle] for an unknown session, and after logout', async () => {
    expect((await call(sim.url, 'host.get_all', x.str('OpaqueRef:nope'))).ErrorDescription).toEqual(['SESSION_INVALID', 'OpaqueRef:nope']);
    const mine = await login(sim.url);
    expect((await call(sim.url, 'session.logout', x.str(mine))).Status).toBe('Success');
    expect((await call(sim.url, 'host.get_all', x.str(mine))).ErrorDescription).toEqual(['SESSION_INVALID', mine]);
  });

  it('MESSAGE_METHOD_UNKNOWN for an unknown method and for a wrongly cased class', async () => {
    for (const method of ['host.reboot_now', 'pif.get_all_records', 'Bond.get_mode', 'VBD.get_all']) {
      expect((await call(sim.url, method, x.str(session))).ErrorDescription).toEqual(['MESSAGE_METHOD_UNKNOWN', method]);
    }
  });

  it('MESSAGE_PARAMETER_COUNT_MISMATCH [method, expected, received], checked before the session', async () => {
    expect((await call(sim.url, 'PIF.get_record', x.str('OpaqueRef:nope'))).ErrorDescription).toEqual([
      'MESSAGE_PARAMETER_COUNT_MISMATCH',
      'PIF.get_record',
      '2',
      '1',
    ]);
  });

  it('HANDLE_INVALID [class, ref] and UUID_INVALID [class, uuid] for objects that do not exist', async () => {
    expect((await call(sim.url, 'PIF.get_record', x.str(session), x.str('OpaqueRef:gone'))).ErrorDescription).toEqual([
      'HANDLE_INVALID',
      'PIF',
      'OpaqueRef:gone',
    ]);
    expect((await call(sim.url, 'SR.get_by_uuid', x.str(session), x.str('0000'))).ErrorDescription).toEqual(['UUID_INVALID', 'SR', '0000']);
  });

  it('HTTP 500 with an HTML page naming Xmlrpc.Parse_error for malformed XML, never a fault', async () => {
    for (const body of ['<methodCall><methodName>x</methodName>', 'not xml at all', '<foo/>', methodCall('pool.get_all', '<value><bogus/></value>')]) {
      const answer = await post(sim.url, body);
      expect(answer.status).toBe(500);
      expect(answer.contentType).toBe('text/html');
      expect(answer.body).toContain('Xmlrpc.Parse_error');
    }
  });

  it('refuses a DOCTYPE in a request (no entity expansion) with the same 500 page', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>${methodCall('pool.get_all', x.bare('&b;'))}`;
    const answer = await post(sim.url, bomb);
    expect(answer.status).toBe(500);
    expect(answer.body).toContain('Xmlrpc.Parse_error');
  });

  it('answers 403 to anything but POST, as xapi does when no handler matches', async () => {
    const response = await fetch(sim.url, { method: 'GET' });
    expect(response.status).toBe(403);
  });
});

describe('a pool member', () => {
  it('answers every login with HOST_IS_SLAVE [master address], right password or not', async () => {
    const member = await startXapiSimulator({ dump: fixture('state4.xml'), memberOf: '10.80.224.75' });
    try {
      for (const password of ['xenroot', 'wrong']) {
        expect((await call(member.url, 'session.login_with_password', x.str('root'), x.str(password))).ErrorDescription).toEqual([
          'HOST_IS_SLAVE',
          '10.80.224.75',
        ]);
      }
      expect(member.stats().logins).toBe(0);
    } finally {
      await member.close();
    }
  });
});

describe('secrets', () => {
  it('returns PBD.device_config as it is, chappassword included: redaction is the client’s job', async () => {
    const pbd = sim.records('PBD')[0]!;
    sim.update('PBD', pbd.ref, { device_config: { target: '10.0.0.1', chapuser: 'u', chappassword: 's3cret' } });
    const record = asStruct((await call(sim.url, 'PBD.get_record', x.str(session), x.str(pbd.ref))).Value);
    expect(asStruct(record.device_config).chappassword).toBe('s3cret');
  });
});
