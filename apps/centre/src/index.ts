export { type Centre, type CentreOptions, createCentre } from './centre';
export { type CentreConfig, loadConfig } from './config';
export { ERROR_CATALOGUE, type ErrorBody, type ErrorCode } from './errors';
export { canonicalJson, recordDigest } from './services/digest';
export type { OnlineFeeAnswer, OnlineFeeInput, PassageInput } from './services/passages.service';
export type { PsamAuthRequest } from './services/psam.service';
export type { RecordAck } from './services/records.service';
