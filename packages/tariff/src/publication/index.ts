/** Node-only: signing and verifying published tariff and status-list files (`@tollpad/tariff/publication`). */
export * from './keys';
export * from './signature';
