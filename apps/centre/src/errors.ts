import {
  CatalogueError,
  errorBodyOf,
  type FailureCodes,
  type ErrorBody as KitErrorBody,
} from '@tollpad/server-kit';

/**
 * The centre's one error catalogue (`CTR_ERR_<AREA>_<THING>`). Codes are stable: stations, tests and
 * the rejected-records table key on them. Messages are Chinese because a monitor or collector may read
 * them through the station. Every code is documented in apps/centre/INTERFACES.md (a test checks it).
 */
export const ERROR_CATALOGUE = {
  CTR_ERR_REQ_INVALID: { status: 400, message: '请求内容不正确' },
  CTR_ERR_REQ_NOT_FOUND: { status: 404, message: '接口不存在' },
  CTR_ERR_REQ_TOO_LARGE: { status: 413, message: '请求内容过大' },
  CTR_ERR_REQ_MEDIA_TYPE: { status: 415, message: '请求内容类型不支持' },
  CTR_ERR_REQ_TOO_DEEP: { status: 400, message: '请求内容嵌套层数过多' },
  CTR_ERR_REQ_URI_TOO_LONG: { status: 414, message: '请求地址过长' },
  CTR_ERR_REQ_HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  CTR_ERR_REQ_TIMEOUT: { status: 408, message: '请求发送超时，请重试' },
  CTR_ERR_AUTH_REQUIRED: { status: 401, message: '接入凭证无效，请检查收费站配置的中心访问令牌' },
  CTR_ERR_AUTH_CERTIFICATE: {
    status: 401,
    message: '未出示中心签发的客户端证书，请检查收费站配置的中心证书',
  },
  CTR_ERR_AUTH_PUBLISHER_REQUIRED: { status: 403, message: '只有发布方可以发布费率和名单' },
  CTR_ERR_RECORD_INVALID: { status: 422, message: '交易流水格式不正确，已留存待查' },
  CTR_ERR_RECORD_IDEMPOTENCY_KEY: { status: 400, message: 'Idempotency-Key 必须等于出口交易编号' },
  CTR_ERR_RECORD_TAC_MISMATCH: { status: 422, message: 'TAC 校验不通过，流水已留存待查' },
  CTR_ERR_RECORD_CONFLICT: { status: 409, message: '该交易编号已上传过不同内容的流水，已留存待查' },
  CTR_ERR_RECORD_CARD_TRADE_USED: {
    status: 409,
    message: '该卡交易（卡号、终端号、终端交易序号、交易时间）已由另一条流水上传，已拒收并留存待查',
  },
  CTR_ERR_RECORD_UNKNOWN_STATION: { status: 422, message: '出口收费站不在路网中，流水已留存待查' },
  CTR_ERR_RECORD_UNKNOWN_ISSUER: { status: 422, message: '发行方未知，无法校验 TAC，流水已留存待查' },
  CTR_ERR_RECORD_WRONG_STATION: {
    status: 403,
    message: '只能上传本站证书对应收费站的流水，已拒收并留存待查；请核对收费站编号与证书',
  },
  CTR_ERR_RECORD_NOT_FOUND: { status: 404, message: '交易流水不存在' },
  CTR_ERR_GANTRY_UNKNOWN: { status: 422, message: '门架不在路网中，数据已留存待查' },
  CTR_ERR_PASSAGE_NOT_FOUND: {
    status: 404,
    message: '中心没有该门架通行记录，请先上传通行记录再上传门架照片',
  },
  CTR_ERR_GANTRY_PHOTO_HELD: { status: 409, message: '该门架通行已有照片，不能替换；如照片有误请联系中心' },
  CTR_ERR_LANE_CAPTURE_INVALID: { status: 422, message: '车道抓拍的收费站或车道编号不正确，请核对车道配置' },
  CTR_ERR_LANE_CAPTURE_WRONG_STATION: {
    status: 403,
    message: '只能上传本站证书对应收费站车道的抓拍，请核对收费站编号与证书',
  },
  CTR_ERR_PHOTO_TOO_LARGE: { status: 413, message: '照片过大（上限 512 KiB），请压缩后重新上传' },
  CTR_ERR_PHOTO_NOT_JPEG: { status: 415, message: '照片不是 JPEG 格式，请上传相机原始 JPEG 照片' },
  CTR_ERR_PHOTO_NOT_FOUND: { status: 404, message: '中心没有这张照片，通行路径照常显示' },
  CTR_ERR_PHOTO_WRONG_PROVINCE: { status: 403, message: '只能查看本省收费站或门架拍摄的照片' },
  CTR_ERR_AUTH_STATION_REQUIRED: { status: 403, message: '只有收费站证书可以查看通行路径和照片' },
  CTR_ERR_PATH_NOT_FOUND: {
    status: 404,
    message: '中心没有该通行标识或车牌的通行记录，请按司机所述入口或最远路径处理',
  },
  CTR_ERR_LIST_UNKNOWN_KIND: { status: 404, message: '名单类型不存在' },
  CTR_ERR_LIST_VERSION_GAP: { status: 409, message: '名单版本不连续，已拒收并留存待查' },
  CTR_ERR_LIST_VERSION_NOT_FOUND: { status: 404, message: '名单版本不存在' },
  CTR_ERR_LIST_INVALID: { status: 422, message: '名单内容不正确，已留存待查' },
  CTR_ERR_TARIFF_INVALID: { status: 422, message: '费率文件不正确，已留存待查' },
  CTR_ERR_TARIFF_BACKDATED: { status: 422, message: '费率生效时间早于发布时间，已拒收并留存待查' },
  CTR_ERR_TARIFF_VERSION_CONFLICT: { status: 409, message: '该费率版本已发布过不同内容' },
  CTR_ERR_TARIFF_NOT_FOUND: { status: 404, message: '费率版本不存在' },
  CTR_ERR_TARIFF_NONE_ACTIVE: { status: 503, message: '当前没有生效的费率，请先发布费率' },
  CTR_ERR_PSAM_INVALID: { status: 400, message: 'PSAM 授权请求不正确' },
  CTR_ERR_PSAM_REVOKED: { status: 403, message: '该 PSAM 已停用，不能授权，请联系管理员' },
  CTR_ERR_PSAM_WRONG_STATION: {
    status: 403,
    message: '该 PSAM 最近一次授权不属于本站，不能查询；请核对 PSAM 终端号与本站证书',
  },
  CTR_ERR_ARREARS_INVALID: { status: 422, message: '追缴补缴数据不正确（车牌、条目或金额），已留存待查' },
  CTR_ERR_ARREARS_ENTRY_UNKNOWN: {
    status: 404,
    message: '追缴条目不存在或不属于该车辆，请重新查询追缴信息',
  },
  CTR_ERR_ARREARS_AMOUNT_MISMATCH: {
    status: 422,
    message: '补缴金额与所选追缴条目的欠费合计不符，请重新查询后按合计金额补缴',
  },
  CTR_ERR_ARREARS_ALREADY_CLEARED: {
    status: 409,
    message: '所选追缴条目已由另一笔补缴结清，本笔已留存待查；已收款项请按退款流程处理',
  },
  CTR_ERR_ARREARS_CONFLICT: { status: 409, message: '该交易编号已上传过不同内容的补缴流水，已留存待查' },
  CTR_ERR_ARREARS_WRONG_STATION: {
    status: 403,
    message: '只能上传本站证书对应收费站的补缴流水，已拒收并留存待查',
  },
  CTR_ERR_GREEN_INVALID: {
    status: 422,
    message: '绿通查验数据不正确（货物、照片、结果或交易编号），已留存待查',
  },
  CTR_ERR_GREEN_WRONG_STATION: {
    status: 403,
    message: '只能上传本站证书对应收费站的绿通查验，已拒收并留存待查',
  },
  CTR_ERR_GREEN_CONFLICT: { status: 409, message: '该交易已上传过不同内容的绿通查验，已留存待查' },
  CTR_ERR_DB_UNAVAILABLE: { status: 503, message: '数据库暂不可用，请稍后重试' },
  CTR_ERR_INTERNAL: { status: 500, message: '系统内部错误，请联系管理员' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The only error type the centre throws on purpose; anything else is mapped by the error handler. */
/** The code each kind of failure outside the app's own errors is answered with (server-kit failureKind). */
export const FAILURE_CODES: FailureCodes<ErrorCode> = {
  validation: 'CTR_ERR_REQ_INVALID',
  unavailable: 'CTR_ERR_DB_UNAVAILABLE',
  'too-large': 'CTR_ERR_REQ_TOO_LARGE',
  'too-deep': 'CTR_ERR_REQ_TOO_DEEP',
  'uri-too-long': 'CTR_ERR_REQ_URI_TOO_LONG',
  'headers-too-large': 'CTR_ERR_REQ_HEADERS_TOO_LARGE',
  timeout: 'CTR_ERR_REQ_TIMEOUT',
  'media-type': 'CTR_ERR_REQ_MEDIA_TYPE',
  'rate-limited': 'CTR_ERR_REQ_INVALID',
  client: 'CTR_ERR_REQ_INVALID',
  internal: 'CTR_ERR_INTERNAL',
};

export class CentreError extends CatalogueError<ErrorCode> {
  /** The rejected_records row that keeps the refused input, when one was written. */
  readonly rejectionId: number | undefined;

  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; rejectionId?: number }) {
    super(ERROR_CATALOGUE, code, detail, options);
    this.name = 'CentreError';
    this.rejectionId = options?.rejectionId;
  }
}

export function isCentreError(e: unknown): e is CentreError {
  return e instanceof CentreError;
}

/** The wire shape of every error answer. */
export interface ErrorBody extends KitErrorBody<ErrorCode> {
  rejectionId?: number;
}

export function errorBody(e: CentreError, requestId?: string): ErrorBody {
  const body: ErrorBody = errorBodyOf(e);
  if (e.rejectionId !== undefined) body.rejectionId = e.rejectionId;
  if (requestId !== undefined) body.requestId = requestId;
  return body;
}
