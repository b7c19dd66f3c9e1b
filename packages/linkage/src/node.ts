/** Node-only parts of the lane linkage: MQTT clients for both ends and the embedded broker. */
export * from './node/embedded-broker';
export * from './node/lane-endpoint';
export * from './node/lane-link-client';
export * from './node/mqtt-connection';
