/**
 * What the SNMP walker hands the decoders: every varbind it read, grouped by the subtree root it walked
 * (one of WALK_ROOTS in ./oids). Values are as npm net-snmp delivers them, so the decoders never need
 * net-snmp itself: OctetString → Buffer, Counter64 → Buffer (big-endian, variable length; a bigint is
 * accepted too), OID → dotted string, IpAddress → dotted string, Integer/Gauge/Counter/TimeTicks → number.
 */

/** One varbind as walked. type = the BER tag: 2 Integer32, 4 OctetString, 5 Null, 6 OID, 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque, 70 Counter64. */
export interface Varbind { oid: string /* dotted, no leading dot */; type: number; value: Buffer | number | bigint | string | null }

/** Every varbind read, by the subtree root it was walked under (as in WALK_ROOTS). */
export type Walk = ReadonlyMap<string, readonly Varbind[]>;

/** BER tags of the SNMP application types, by name. */
export const BER = {
  Integer32: 2,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
} as const;
