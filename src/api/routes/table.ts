// Every endpoint by method and path shape; used to answer 405 (with Allow) instead of 404 when
// a known path is called with another method.
export const ROUTES: readonly { method: string; pattern: RegExp }[] = [
  { method: 'POST', pattern: /^\/v1\/generate\/(image|video)\/.+$/ },
  { method: 'GET', pattern: /^\/v1\/content\/list$/ },
  { method: 'GET', pattern: /^\/v1\/content\/[^/]+$/ },
  { method: 'DELETE', pattern: /^\/v1\/content\/(?!list$)[^/]+$/ },
  { method: 'POST', pattern: /^\/v1\/content\/generation\/cancel\/[^/]+$/ },
  { method: 'GET', pattern: /^\/v1\/estimate\/.+$/ },
  { method: 'GET', pattern: /^\/v1\/status$/ },
  { method: 'GET', pattern: /^\/v1\/usage$/ },
  { method: 'GET', pattern: /^\/v1\/openapi\.json$/ },
  { method: 'GET', pattern: /^\/v1\/user\/(account|billing)$/ },
  { method: 'GET', pattern: /^\/v1\/health\/(inference\/providers|inference\/models|storage|cache)$/ },
  { method: 'GET', pattern: /^\/v1\/library\/(providers|models)$/ },
  { method: 'GET', pattern: /^\/files\/.+$/ },
  { method: 'POST', pattern: /^\/v1\/providers\/[^/]+\/webhook$/ },
  { method: 'POST', pattern: /^\/v1\/billing\/checkout$/ },
  { method: 'POST', pattern: /^\/v1\/stripe\/webhook$/ },
  { method: 'GET', pattern: /^\/v1\/openapi\.json$/ },
];
