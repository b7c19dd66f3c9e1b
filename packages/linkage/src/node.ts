/** Node-only parts of the lane linkage: MQTT clients for both ends, the embedded broker and its accounts. */
export * from './node/embedded-broker';
export * from './node/lane-endpoint';
export * from './node/lane-link-client';
export * from './node/mqtt-connection';
export * from './node/mqtt-credential-files';
export * from './node/mqtt-password';
