export * from './regions.js';
export * from './roles.js';
export * from './password.js';
export * from './users.js';
export * from './ids.js';
export * from './idcard.js';
export * from './elder.js';
export * from './ledger-rules.js';
