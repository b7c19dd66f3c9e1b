export * from './cpc-base-info';
export * from './cpc-entry';
export * from './cpc-fee-blocks';
export { CPC_FILE, type CpcTimeOptions, cpcCodecError } from './cpc-fields';
export * from './cpc-files';
export * from './cpc-pass-info';
export * from './cpc-sys-info';
