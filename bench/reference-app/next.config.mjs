/** The reference app for the api-v1 benchmark: one route handler, nothing else. */
const config = { poweredByHeader: false };

export default config;
