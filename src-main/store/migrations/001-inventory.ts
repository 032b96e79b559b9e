import type Database from 'better-sqlite3';

/*
 * The CHECK lists as they shipped, written out rather than taken from the domain's constants: a value added to
 * a domain list later must come with a migration that widens the CHECK of existing databases too, or new
 * databases would accept what old ones refuse. test/unit/store/migrations.test.ts compares these with the
 * domain's lists and fails until such a migration exists.
 */
const DEVICE_KINDS = ['xen-pool', 'xen-host', 'switch', 'iscsi-san', 'nas', 'linux-host'];
const PORT_ROLES = ['management', 'storage', 'vm', 'uplink', 'ha', 'replication', 'unused'];
const LINK_SOURCES = ['manual', 'lldp', 'mac-table'];
const VLAN_PURPOSES = ['management', 'storage', 'vm', 'ha', 'replication', 'migration', 'other'];
const LUN_USES = ['vm-storage', 'ha-heartbeat', 'backup', 'replication', 'other'];
const CREDENTIAL_PURPOSES = ['snmp-community', 'snmp-auth-key', 'snmp-priv-key', 'xenapi-password', 'dsm-password'];

const oneOf = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The intended lab. Observations from polling will live in their own tables beside these.
 * Names compare case-insensitively (a user who types "SW1" means the same switch as "sw1").
 */
export function inventorySchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );

    CREATE TABLE devices (
      id        INTEGER PRIMARY KEY,
      name      TEXT NOT NULL COLLATE NOCASE UNIQUE,
      kind      TEXT NOT NULL CHECK (kind IN (${oneOf(DEVICE_KINDS)})),
      address   TEXT NOT NULL,
      vendor    TEXT NOT NULL DEFAULT '',
      model     TEXT NOT NULL DEFAULT '',
      location  TEXT NOT NULL DEFAULT '',
      notes     TEXT NOT NULL DEFAULT '',
      member_of INTEGER REFERENCES devices(id) ON DELETE SET NULL,
      snmp      TEXT CHECK (snmp IS NULL OR json_valid(snmp)),
      xenapi    TEXT CHECK (xenapi IS NULL OR json_valid(xenapi)),
      dsm       TEXT CHECK (dsm IS NULL OR json_valid(dsm))
    );
    CREATE INDEX devices_member_of ON devices(member_of);

    CREATE TABLE ports (
      id        INTEGER PRIMARY KEY,
      device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      name      TEXT NOT NULL COLLATE NOCASE,
      role      TEXT NOT NULL CHECK (role IN (${oneOf(PORT_ROLES)})),
      aggregate TEXT NOT NULL DEFAULT '',
      mac       TEXT NOT NULL DEFAULT '',
      notes     TEXT NOT NULL DEFAULT '',
      UNIQUE (device_id, name)
    );

    CREATE TABLE vlans (
      id      INTEGER PRIMARY KEY CHECK (id BETWEEN 1 AND 4094),
      name    TEXT NOT NULL COLLATE NOCASE UNIQUE,
      purpose TEXT NOT NULL CHECK (purpose IN (${oneOf(VLAN_PURPOSES)})),
      notes   TEXT NOT NULL DEFAULT ''
    );

    CREATE TABLE port_vlans (
      port_id INTEGER NOT NULL REFERENCES ports(id) ON DELETE CASCADE,
      vlan_id INTEGER NOT NULL REFERENCES vlans(id) ON DELETE CASCADE,
      tagged  INTEGER NOT NULL CHECK (tagged IN (0, 1)),
      PRIMARY KEY (port_id, vlan_id)
    );
    CREATE INDEX port_vlans_vlan ON port_vlans(vlan_id);
    -- One untagged VLAN (the PVID) per port.
    CREATE UNIQUE INDEX port_vlans_one_untagged ON port_vlans(port_id) WHERE tagged = 0;

    CREATE TABLE links (
      id        INTEGER PRIMARY KEY,
      a_port_id INTEGER NOT NULL UNIQUE REFERENCES ports(id) ON DELETE CASCADE,
      b_port_id INTEGER NOT NULL UNIQUE REFERENCES ports(id) ON DELETE CASCADE,
      source    TEXT NOT NULL CHECK (source IN (${oneOf(LINK_SOURCES)})),
      notes     TEXT NOT NULL DEFAULT '',
      CHECK (a_port_id <> b_port_id)
    );
    -- A port has one cable: it may not be the a-end of one link and the b-end of another.
    CREATE TRIGGER links_one_cable_per_port_insert BEFORE INSERT ON links
    WHEN EXISTS (SELECT 1 FROM links WHERE b_port_id = NEW.a_port_id OR a_port_id = NEW.b_port_id)
    BEGIN SELECT RAISE(ABORT, 'port already cabled'); END;
    CREATE TRIGGER links_one_cable_per_port_update BEFORE UPDATE ON links
    WHEN EXISTS (SELECT 1 FROM links WHERE id <> NEW.id AND (b_port_id = NEW.a_port_id OR a_port_id = NEW.b_port_id))
    BEGIN SELECT RAISE(ABORT, 'port already cabled'); END;

    CREATE TABLE targets (
      id        INTEGER PRIMARY KEY,
      device_id INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      iqn       TEXT NOT NULL COLLATE NOCASE UNIQUE, -- iSCSI names compare case-insensitively (RFC 3720 §3.2.6.1)
      alias     TEXT NOT NULL DEFAULT '',
      notes     TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX targets_device ON targets(device_id);

    CREATE TABLE target_portals (
      target_id INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
      position  INTEGER NOT NULL,
      address   TEXT NOT NULL,
      port      INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
      PRIMARY KEY (target_id, position),
      UNIQUE (target_id, address, port)
    );

    CREATE TABLE luns (
      target_id  INTEGER NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
      lun        INTEGER NOT NULL CHECK (lun BETWEEN 0 AND 16383),
      name       TEXT NOT NULL DEFAULT '',
      size_bytes INTEGER NOT NULL CHECK (size_bytes > 0),
      use        TEXT NOT NULL CHECK (use IN (${oneOf(LUN_USES)})),
      PRIMARY KEY (target_id, lun)
    );

    -- Secrets, sealed by the shell's SecretBox. 'scheme' says which box can open them.
    CREATE TABLE credentials (
      device_id  INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
      purpose    TEXT NOT NULL CHECK (purpose IN (${oneOf(CREDENTIAL_PURPOSES)})),
      scheme     TEXT NOT NULL,
      sealed     BLOB NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (device_id, purpose)
    );
  `);
}
