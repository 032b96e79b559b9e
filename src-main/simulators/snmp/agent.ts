/**
 * What an SNMPv1/v2c agent answers to a GET, GETNEXT or GETBULK over a recording (RFC 3416 §4.2; v1 per
 * RFC 1157 and RFC 3584 §4.2.2: noSuchName instead of exceptions, Counter64 invisible). SETs are refused the
 * way a read-only agent refuses them (notWritable, noSuchName in v1).
 */
import { TAG } from './ber';
import type { FaultSettings } from './faults';
import { encodeResponse, exceptionVarbind, nullVarbind, responseOverhead, VERSION_1, type SnmpRequest } from './message';
import { oidKey, type MibRecord, type MibView } from './snmprec';

const TOO_BIG = 1;
const NO_SUCH_NAME = 2;
const NOT_WRITABLE = 17;

/** GetBulk repetitions beyond this are not honoured (the answer is cut to fit anyway). */
export const MAX_REPETITIONS = 2_000;

export interface Answer {
  datagram: Buffer;
  varbinds: number;
}

function visible(record: MibRecord, version: number): boolean {
  return version !== VERSION_1 || record.wireTag !== TAG.counter64;
}

/** Index of the record a GETNEXT from `key` returns (records.length: end of the MIB view). */
function successor(view: MibView, key: Buffer, version: number, fault: FaultSettings | null): number {
  const records = view.records;
  if (fault?.kind === 'non-increasing') {
    const at = view.seek(key, true);
    const exact = records[at]?.key.equals(key) === true;
    if (exact) return fault.mode === 'backwards' ? Math.max(0, at - 1) : at;
  }
  let i = view.seek(key, false);
  while (i < records.length && !visible(records[i]!, version)) i++;
  return i;
}

function errorAnswer(request: SnmpRequest, status: number, index: number): Answer {
  return { datagram: encodeResponse(request, request.oids.map(nullVarbind), status, index), varbinds: request.oids.length };
}

function get(request: SnmpRequest, view: MibView): Answer {
  const out: Buffer[] = [];
  for (let i = 0; i < request.oids.length; i++) {
    const arcs = request.oids[i]!;
    const record = view.find(oidKey(arcs));
    if (record && visible(record, request.version)) {
      out.push(record.varbind);
      continue;
    }
    if (request.version === VERSION_1) return errorAnswer(request, NO_SUCH_NAME, i + 1);
    const objectKnown = arcs.length > 1 && view.hasUnder(oidKey(arcs.slice(0, -1)));
    out.push(exceptionVarbind(arcs, objectKnown ? TAG.noSuchInstance : TAG.noSuchObject));
  }
  return { datagram: encodeResponse(request, out), varbinds: out.length };
}

function getNext(request: SnmpRequest, view: MibView, fault: FaultSettings | null): Answer {
  const out: Buffer[] = [];
  for (let i = 0; i < request.oids.length; i++) {
    const arcs = request.oids[i]!;
    const record = view.records[successor(view, oidKey(arcs), request.version, fault)];
    if (record) out.push(record.varbind);
    else if (request.version === VERSION_1) return errorAnswer(request, NO_SUCH_NAME, i + 1);
    else out.push(exceptionVarbind(arcs, TAG.endOfMibView));
  }
  return { datagram: encodeResponse(request, out), varbinds: out.length };
}

/** RFC 3416 §4.2.3, cut short (never tooBig) when the answer would pass `maxBytes`. */
function getBulk(request: SnmpRequest, view: MibView, fault: FaultSettings | null, maxBytes: number): Answer {
  const records = view.records;
  const n = Math.min(request.nonRepeaters, request.oids.length);
  const repeaters = request.oids.length - n;
  const repetitions = Math.min(request.maxRepetitions, MAX_REPETITIONS);
  const out: Buffer[] = [];
  let size = responseOverhead(request);
  const add = (varbind: Buffer): boolean => {
    if (size + varbind.length > maxBytes) return false;
    size += varbind.length;
    out.push(varbind);
    return true;
  };
  for (let i = 0; i < n; i++) {
    const arcs = request.oids[i]!;
    const record = records[successor(view, oidKey(arcs), request.version, fault)];
    if (!add(record ? record.varbind : exceptionVarbind(arcs, TAG.endOfMibView))) return errorAnswer(request, TOO_BIG, 0);
  }
  if (repeaters > 0 && repetitions > 0) {
    // Per repeater: its current position (a key), or null once it has reached the end of the view.
    const cursors: (Buffer | null)[] = request.oids.slice(n).map((arcs) => oidKey(arcs));
    const lastArcs = request.oids.slice(n);
    fill: for (let r = 0; r < repetitions; r++) {
      let moving = 0;
      for (let c = 0; c < repeaters; c++) {
        const cursor = cursors[c] ?? null;
        let varbind: Buffer;
        if (cursor === null) {
          varbind = exceptionVarbind(lastArcs[c]!, TAG.endOfMibView);
        } else {
          const record = records[successor(view, cursor, request.version, fault)];
          if (record) {
            varbind = record.varbind;
            cursors[c] = record.key;
            lastArcs[c] = record.arcs;
            moving++;
          } else {
            varbind = exceptionVarbind(lastArcs[c]!, TAG.endOfMibView);
            cursors[c] = null;
          }
        }
        if (!add(varbind)) break fill;
      }
      if (moving === 0) break; // every repeater is at the end: one row of endOfMibView is enough
    }
  }
  return { datagram: encodeResponse(request, out), varbinds: out.length };
}

export function answer(request: SnmpRequest, view: MibView, fault: FaultSettings | null, maxBytes: number): Answer {
  let result: Answer;
  switch (request.type) {
    case 'get':
      result = get(request, view);
      break;
    case 'getNext':
      result = getNext(request, view, fault);
      break;
    case 'getBulk':
      result = getBulk(request, view, fault, maxBytes);
      break;
    case 'set':
      return request.version === VERSION_1 ? errorAnswer(request, NO_SUCH_NAME, 1) : errorAnswer(request, NOT_WRITABLE, 1);
  }
  if (fault?.kind === 'too-big' && result.varbinds > fault.maxVarbinds) return errorAnswer(request, TOO_BIG, 0);
  if (result.datagram.length > maxBytes && request.type !== 'getBulk') return errorAnswer(request, TOO_BIG, 0);
  return result;
}
