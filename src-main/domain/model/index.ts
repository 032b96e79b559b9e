export * from './devices';
export * from './credentials';
export * from './ports';
export * from './links';
export * from './vlans';
export * from './storage';
export * from './inventory';
export * from './views';
