// @hey-api/openapi-ts settings for the TypeScript SDK (run by `make clients`).
// OPENAPI_TS_OUTPUT lets `make clients-check` generate into a scratch folder to compare.
export default {
  input: '../../openapi/openapi.json',
  output: {
    path: process.env.OPENAPI_TS_OUTPUT ?? 'src/gen',
    // Explicit .js extensions so the compiled SDK loads as native ES modules in Node.
    importFileExtension: '.js',
  },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
};
