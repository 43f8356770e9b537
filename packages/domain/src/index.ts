export * from './regions.js';
export * from './roles.js';
export * from './password.js';
export * from './users.js';
export * from './ids.js';
