/**
 * The XenAPI type of every field the simulator serves. The dump stores every value as a string; the wire
 * does not (an int is a decimal string on XML-RPC but a number on JSON-RPC, a bool is <boolean>, a set is
 * an <array>), so the server must know each field's type to answer as xapi does.
 *
 * Source: the datamodel (xen-api ocaml/idl/datamodel*.ml, doc/data/xenapi.json) for the XenServer 5.6–6.2
 * era plus the later fields this app reads (Bond.mode/links_up, host.multipathing, PIF.managed, …).
 * Enums are strings on the wire; sets of refs are sets. `internal` marks fields xapi keeps in its database
 * but never puts on the wire (datamodel `~internal_only:true`): they are dropped.
 *
 * A field absent from this table (a newer or odder dump) gets its type from its values (inferType):
 * lists become sets or maps by shape, anything else stays a string — never a guessed bool or int.
 */

export type FieldType = 'string' | 'int' | 'float' | 'bool' | 'datetime' | 'ref' | 'set' | 'map' | 'internal';

/** The classes served, spelled as xapi spells them in method names (case-sensitive on the wire). */
export const SERVED_CLASSES = [
  'pool',
  'host',
  'host_metrics',
  'PIF',
  'PIF_metrics',
  'Bond',
  'VLAN',
  'tunnel',
  'network',
  'SR',
  'PBD',
  'VDI',
  'SM',
  'VM',
  'task',
  'message',
] as const;
export type ServedClass = (typeof SERVED_CLASSES)[number];

export const isServedClass = (name: string): name is ServedClass => (SERVED_CLASSES as readonly string[]).includes(name);

type Spec = Partial<Record<FieldType, string>>;

function table(spec: Spec): ReadonlyMap<string, FieldType> {
  const fields = new Map<string, FieldType>();
  for (const [type, names] of Object.entries(spec) as [FieldType, string][]) {
    for (const name of names.split(/\s+/).filter(Boolean)) fields.set(name, type);
  }
  return fields;
}

const CLASS_FIELDS: Record<ServedClass, ReadonlyMap<string, FieldType>> = {
  pool: table({
    string: 'uuid name_label name_description vswitch_controller wlb_url wlb_username ha_cluster_stack',
    int: 'ha_host_failures_to_tolerate ha_plan_exists_for',
    bool: 'ha_enabled ha_allow_overcommit ha_overcommitted wlb_enabled wlb_verify_cert redo_log_enabled policy_no_vendor_device live_patching_disabled igmp_snooping_enabled',
    ref: 'master default_SR suspend_image_SR crash_dump_SR redo_log_vdi',
    set: 'ha_statefiles tags metadata_VDIs allowed_operations',
    map: 'other_config ha_configuration blobs gui_config health_check_config restrictions current_operations guest_agent_config cpu_info',
    internal: 'wlb_password',
  }),
  host: table({
    string: 'uuid name_label name_description API_version_vendor sched_policy hostname address external_auth_type external_auth_service_name edition power_on_mode display iscsi_iqn',
    int: 'memory_overhead API_version_major API_version_minor',
    bool: 'enabled ssl_legacy multipathing',
    ref: 'suspend_image_sr crash_dump_sr metrics local_cache_sr control_domain',
    set: 'allowed_operations capabilities supported_bootloaders resident_VMs PIFs crashdumps patches updates PBDs host_CPUs ha_statefiles ha_network_peers tags PCIs PGPUs PUSBs updates_requiring_reboot features',
    map: 'current_operations API_version_vendor_implementation software_version other_config cpu_configuration logging cpu_info license_params blobs external_auth_configuration license_server bios_strings power_on_config chipset_info guest_VCPUs_params',
    internal: 'boot_free_mem',
  }),
  host_metrics: table({
    string: 'uuid',
    int: 'memory_total memory_free',
    bool: 'live',
    datetime: 'last_updated',
    map: 'other_config',
  }),
  PIF: table({
    string: 'uuid device MAC ip_configuration_mode IP netmask gateway DNS ipv6_configuration_mode ipv6_gateway primary_address_type igmp_snooping_status',
    int: 'MTU VLAN',
    bool: 'physical currently_attached management disallow_unplug managed',
    ref: 'network host metrics bond_slave_of VLAN_master_of PCI',
    set: 'bond_master_of VLAN_slave_of tunnel_access_PIF_of tunnel_transport_PIF_of IPv6 capabilities sriov_physical_PIF_of sriov_logical_PIF_of',
    map: 'other_config properties',
    internal: 'device_name',
  }),
  PIF_metrics: table({
    string: 'uuid vendor_id vendor_name device_id device_name pci_bus_path',
    int: 'speed',
    float: 'io_read_kbs io_write_kbs',
    bool: 'carrier duplex',
    datetime: 'last_updated',
    map: 'other_config',
  }),
  Bond: table({
    string: 'uuid mode',
    int: 'links_up',
    bool: 'auto_update_mac',
    ref: 'master primary_slave',
    set: 'slaves',
    map: 'other_config properties',
  }),
  VLAN: table({ string: 'uuid', int: 'tag', ref: 'tagged_PIF untagged_PIF', map: 'other_config' }),
  network: table({
    string: 'uuid name_label name_description bridge default_locking_mode',
    int: 'MTU',
    bool: 'managed',
    set: 'allowed_operations VIFs PIFs tags purpose',
    map: 'current_operations other_config blobs assigned_ips',
  }),
  SR: table({
    string: 'uuid name_label name_description type content_type',
    int: 'virtual_allocation physical_utilisation physical_size',
    bool: 'shared local_cache_enabled clustered is_tools_sr',
    ref: 'introduced_by',
    set: 'allowed_operations VDIs PBDs tags',
    map: 'current_operations other_config sm_config blobs',
  }),
  PBD: table({ string: 'uuid', bool: 'currently_attached', ref: 'host SR', map: 'device_config other_config' }),
  VDI: table({
    string: 'uuid name_label name_description type location on_boot',
    int: 'virtual_size physical_utilisation',
    bool: 'sharable read_only storage_lock managed missing is_a_snapshot allow_caching metadata_latest is_tools_iso cbt_enabled',
    datetime: 'snapshot_time',
    ref: 'SR parent snapshot_of metadata_of_pool',
    set: 'allowed_operations VBDs crash_dumps snapshots tags',
    map: 'current_operations other_config xenstore_data sm_config',
  }),
  SM: table({
    string: 'uuid name_label name_description type vendor copyright version required_api_version driver_filename',
    set: 'capabilities required_cluster_stack',
    map: 'configuration other_config features',
  }),
  // VM is served partially: the fields a network/storage monitor might glance at, plus what the dumps hold.
  VM: table({
    string:
      'uuid name_label name_description power_state PV_bootloader PV_kernel PV_ramdisk PV_args PV_bootloader_args PV_legacy_args HVM_boot_policy PCI_bus domarch last_booted_record recommendations actions_after_shutdown actions_after_reboot actions_after_crash ha_restart_priority transportable_snapshot_id snapshot_metadata',
    int: 'user_version memory_overhead memory_target memory_static_max memory_dynamic_max memory_dynamic_min memory_static_min VCPUs_max VCPUs_at_startup domid order start_delay shutdown_delay version',
    float: 'HVM_shadow_multiplier',
    bool: 'is_a_template is_control_domain ha_always_run is_a_snapshot is_snapshot_from_vmpp',
    datetime: 'snapshot_time',
    ref: 'suspend_VDI resident_on scheduled_to_be_resident_on affinity metrics guest_metrics snapshot_of parent suspend_SR protection_policy appliance',
    set: 'allowed_operations consoles VIFs VBDs crash_dumps VTPMs snapshots tags children attached_PCIs VGPUs',
    map: 'current_operations VCPUs_params other_config HVM_boot_params platform xenstore_data blobs blocked_operations snapshot_info bios_strings last_boot_CPU_flags',
  }),
  task: table({
    string: 'uuid name_label name_description status type result backtrace',
    float: 'progress',
    datetime: 'created finished',
    ref: 'resident_on subtask_of',
    set: 'allowed_operations error_info subtasks',
    map: 'current_operations other_config',
  }),
  message: table({ string: 'uuid name cls obj_uuid body', int: 'priority', datetime: 'timestamp' }),
  // Served so that PIF.tunnel_access_PIF_of can be rebuilt: a tunnel's access PIF is not a port.
  tunnel: table({ string: 'uuid', ref: 'access_PIF transport_PIF', map: 'status other_config' }),
};

/** The declared type of a field, or undefined when the table does not know it. */
export function declaredType(cls: ServedClass, field: string): FieldType | undefined {
  return CLASS_FIELDS[cls].get(field);
}

/** Every field the table declares for a class (internal ones excluded). */
export function declaredFields(cls: ServedClass): string[] {
  return [...CLASS_FIELDS[cls]].filter(([, type]) => type !== 'internal').map(([name]) => name);
}

/**
 * The type of an undeclared field, from all the values the dump holds for it. Only shapes are trusted:
 * `((…` is a map, `('…` a set, `()` an empty set unless another row shows a map. "true" stays a string,
 * because a string field can hold "true" and guessing wrong would change the wire type.
 */
export function inferType(values: Iterable<string>): FieldType {
  let sawList = false;
  for (const raw of values) {
    const value = raw.trimStart();
    if (value.startsWith('((')) return 'map';
    if (value.startsWith('(')) sawList = true;
    else return 'string';
  }
  return sawList ? 'set' : 'string';
}
