/**
 * SNMPv1/v2c messages (RFC 1157, RFC 3416): a bounded decoder for requests and an encoder for responses.
 * Community messages only; the responder does not speak SNMPv3 (the tests use snmpsim for that).
 */
import { BerError, BerReader, encodeInteger, encodeOidContent, tlv, tlvOf, TAG } from './ber';

export const VERSION_1 = 0;
export const VERSION_2C = 1;

export type RequestType = 'get' | 'getNext' | 'getBulk' | 'set';

const PDU_TYPES: Record<number, RequestType> = {
  [TAG.getRequest]: 'get',
  [TAG.getNextRequest]: 'getNext',
  [TAG.getBulkRequest]: 'getBulk',
  [TAG.setRequest]: 'set',
};

/** More varbinds than this in one request is not a real manager; the request is dropped. */
export const MAX_REQUEST_VARBINDS = 256;

export interface SnmpRequest {
  version: number;
  community: Buffer;
  type: RequestType;
  requestId: number;
  /** GetBulk only (0 otherwise). */
  nonRepeaters: number;
  maxRepetitions: number;
  oids: number[][];
}

/** Decodes a request datagram; throws BerError for anything that is not a v1/v2c request we can answer. */
export function decodeRequest(datagram: Buffer): SnmpRequest {
  const outer = new BerReader(datagram);
  const { reader: message } = outer.readConstructed(TAG.sequence);
  if (outer.remaining !== 0) throw new BerError('bytes after the message');
  const version = message.readInteger();
  if (version !== VERSION_1 && version !== VERSION_2C) throw new BerError(`SNMP version ${version} is not served`);
  const community = message.readOctets();
  const { tag, reader: pdu } = message.readConstructed();
  const type = PDU_TYPES[tag];
  if (type === undefined) throw new BerError(`PDU type 0x${tag.toString(16)} is not a request`);
  if (type === 'getBulk' && version === VERSION_1) throw new BerError('GetBulk in an SNMPv1 message');
  const requestId = pdu.readInteger();
  const second = pdu.readInteger();
  const third = pdu.readInteger();
  const { reader: list } = pdu.readConstructed(TAG.sequence);
  const oids: number[][] = [];
  while (list.remaining > 0) {
    if (oids.length >= MAX_REQUEST_VARBINDS) throw new BerError(`more than ${MAX_REQUEST_VARBINDS} varbinds`);
    const { reader: varbind } = list.readConstructed(TAG.sequence);
    oids.push(varbind.readOid());
    varbind.skip(); // the value: NULL in a read request, the new value in a SET (not kept)
  }
  return {
    version,
    community: Buffer.from(community),
    type,
    requestId,
    nonRepeaters: type === 'getBulk' ? Math.max(0, second) : 0,
    maxRepetitions: type === 'getBulk' ? Math.max(0, third) : 0,
    oids,
  };
}

export function exceptionVarbind(arcs: readonly number[], tag: number): Buffer {
  return tlvOf(TAG.sequence, [tlv(TAG.oid, encodeOidContent(arcs)), Buffer.from([tag, 0])]);
}

export function nullVarbind(arcs: readonly number[]): Buffer {
  return tlvOf(TAG.sequence, [tlv(TAG.oid, encodeOidContent(arcs)), Buffer.from([TAG.null, 0])]);
}

/** A Response-PDU message around already encoded varbinds. */
export function encodeResponse(request: SnmpRequest, varbinds: readonly Buffer[], errorStatus = 0, errorIndex = 0): Buffer {
  const pdu = tlvOf(TAG.response, [encodeInteger(request.requestId), encodeInteger(errorStatus), encodeInteger(errorIndex), tlvOf(TAG.sequence, varbinds)]);
  return tlvOf(TAG.sequence, [encodeInteger(request.version), tlv(TAG.octetString, request.community), pdu]);
}

/** Bytes a response takes around its varbinds (for fitting GetBulk answers into a size limit). */
export function responseOverhead(request: SnmpRequest): number {
  return 40 + request.community.length;
}
