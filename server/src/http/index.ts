export { apiRouter } from './api-router.js';
export { apiNotFound, jsonErrors } from './error-handling.js';
