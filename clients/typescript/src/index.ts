// The tensorseed SDK: generated operations and types (src/gen), plus the client factory.
export * from './gen/index.js';
export { createClient, createConfig } from './gen/client/index.js';
export type { Client, Config } from './gen/client/index.js';
