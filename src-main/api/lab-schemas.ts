/**
 * Validators of the lab-graph methods' arguments: a device by name, a port as `{device, port}`, what-if
 * targets as `DEVICE[:PORT]` (or a portal's address:port). Names are checked for shape here; whether they
 * exist is the handler's answer (not-found, naming what is unknown).
 */
import { z } from 'zod';

const printable = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `the ${what} is empty`)
    .max(max, `the ${what} is longer than ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `the ${what} contains control characters`);

export const DeviceName = printable('device name', 200);

export const PortRefInput = z.strictObject({ device: DeviceName, port: printable('port name', 200) });

export const WhatIfTargets = z
  .array(printable('what-if target', 300))
  .min(1, 'name at least one device, port or portal to take out')
  .max(50, 'at most 50 targets at once');
