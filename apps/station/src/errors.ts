import {
  CatalogueError,
  errorBodyOf,
  type FailureCodes,
  type ErrorBody as KitErrorBody,
} from '@tollpad/server-kit';
import type { StationErrorCode } from '@tollpad/station-api';

/**
 * The station's one error catalogue (fastify style: `STN_ERR_<AREA>_<THING>`). Codes are stable: the
 * handheld UI and the audit log key on them. Messages are Chinese because a collector may read them.
 * Every code is documented in apps/station/ERRORS.md (a test checks the two agree).
 * The codes themselves are the wire contract's (@tollpad/station-api STATION_ERROR_CODES): add a new one there too.
 */
export const ERROR_CATALOGUE = {
  STN_ERR_REQ_INVALID: { status: 400, message: '请求内容不正确' },
  STN_ERR_REQ_NOT_FOUND: { status: 404, message: '接口不存在' },
  STN_ERR_REQ_TOO_LARGE: { status: 413, message: '请求内容过大' },
  STN_ERR_REQ_MEDIA_TYPE: { status: 415, message: '请求内容类型不支持' },
  STN_ERR_REQ_TOO_DEEP: { status: 400, message: '请求内容嵌套层数过多，请检查客户端版本或联系管理员' },
  STN_ERR_REQ_URI_TOO_LONG: { status: 414, message: '请求地址过长，请检查客户端版本或联系管理员' },
  STN_ERR_REQ_HEADERS_TOO_LARGE: { status: 431, message: '请求头过大，请重新登录后再试' },
  STN_ERR_REQ_TIMEOUT: { status: 408, message: '请求发送超时，请检查网络后重试' },
  STN_ERR_RATE_LIMITED: { status: 429, message: '请求过于频繁，请稍后再试' },
  STN_ERR_AUTH_REQUIRED: { status: 401, message: '请先登录' },
  STN_ERR_AUTH_SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  // One answer for an unknown account, a wrong password, a source held back and a disabled account: any
  // difference would tell a guesser which usernames exist or which guesses are being counted.
  STN_ERR_AUTH_BAD_CREDENTIALS: {
    status: 401,
    message: '用户名或密码错误，或尝试过于频繁。请核对后稍候再试，仍无法登录请联系班长或管理员',
  },
  STN_ERR_AUTH_FORBIDDEN: { status: 403, message: '无权执行此操作' },
  // The session cookie without the handheld's own header: a cross-site page or form is riding the login.
  STN_ERR_AUTH_CSRF: {
    status: 401,
    message: '登录凭据只接受手持机应用自己发出的请求，请在手持机应用中重新登录后操作',
  },
  STN_ERR_ACCOUNT_EXISTS: { status: 409, message: '账号已存在' },
  STN_ERR_ACCOUNT_NOT_FOUND: { status: 404, message: '账号不存在' },
  STN_ERR_ACCOUNT_WEAK_PASSWORD: {
    status: 400,
    message: '密码强度不够：至少 8 位，含字母、数字、符号中的两类，且不能与账号相同或过于常见，请换一个',
  },
  STN_ERR_ACCOUNT_LAST_ADMIN: {
    status: 409,
    message: '这是最后一个可用的管理员账号，不能停用或改为其他角色；请先设置另一位管理员',
  },
  STN_ERR_ACCOUNT_SELF: { status: 409, message: '不能停用自己或修改自己的角色，请由另一位管理员操作' },
  STN_ERR_CONFIG_INVALID_ID: { status: 400, message: '编号格式不正确' },
  STN_ERR_CONFIG_PLAZA_NOT_FOUND: { status: 404, message: '收费广场不存在' },
  STN_ERR_CONFIG_LANE_NOT_FOUND: { status: 404, message: '车道不存在' },
  STN_ERR_CONFIG_LANE_DISABLED: { status: 409, message: '该车道未启用手持联动，请选择其他车道' },
  STN_ERR_CONFIG_TERMINAL_NOT_FOUND: { status: 404, message: '终端未登记，请联系管理员' },
  STN_ERR_CONFIG_TERMINAL_MISMATCH: { status: 409, message: 'PSAM 终端号与登记不符，请联系管理员' },
  STN_ERR_CONFIG_REFERENCE_INVALID: { status: 422, message: '费率或名单文件无效，仍使用原版本' },
  STN_ERR_CONFIG_LAST_LANE: {
    status: 409,
    message: '这是唯一启用手持联动的出口车道，不能停用；请先启用另一条车道',
  },
  STN_ERR_CONFIG_PSAM_BOUND: {
    status: 409,
    message: '该 PSAM 已绑定在另一台手持终端上，请先在那台终端上解绑',
  },
  STN_ERR_CONFIG_PSAM_UNBOUND: { status: 409, message: '该手持终端未绑定 PSAM，请联系管理员绑定后再收费' },
  STN_ERR_SHIFT_NOT_OPEN: { status: 409, message: '请先开班' },
  STN_ERR_SHIFT_ALREADY_OPEN: { status: 409, message: '已有未结束的班次' },
  STN_ERR_SHIFT_NOT_FOUND: { status: 404, message: '班次不存在' },
  STN_ERR_EXIT_NOT_FOUND: { status: 404, message: '交易不存在' },
  STN_ERR_EXIT_BAD_STATE: { status: 409, message: '当前交易状态不允许此操作' },
  STN_ERR_EXIT_CANCELLED: { status: 409, message: '交易已取消' },
  STN_ERR_EXIT_CARD_UNREADABLE: { status: 422, message: '卡片数据无法识别，请重新【读卡】' },
  STN_ERR_EXIT_NOT_ETC_PAYABLE: { status: 409, message: '该卡不能进行 ETC 扣费，请改用其他方式收费' },
  STN_ERR_EXIT_AUTH_PENDING: { status: 409, message: '等待班长授权' },
  STN_ERR_EXIT_AUTH_REFUSED: { status: 409, message: '班长未授权，请按提示处理' },
  STN_ERR_EXIT_AMOUNT_MISMATCH: { status: 422, message: '扣款金额与计费金额不符' },
  STN_ERR_EXIT_CLOCK_SKEW: { status: 422, message: '手持机时间与站级时间相差过大，请校时后重新提交' },
  STN_ERR_EXIT_COMMIT_CONFLICT: { status: 409, message: '该交易编号已提交过不同的数据' },
  STN_ERR_EXIT_PLATE_INVALID: { status: 400, message: '车牌号码与车牌颜色不符，请检查' },
  STN_ERR_EXIT_ENTRY_REQUIRED: { status: 422, message: '无有效入口信息，请核实并选择入口站' },
  STN_ERR_EXIT_ENTRY_UNKNOWN: { status: 422, message: '所选入口站不在费率表中' },
  STN_ERR_EXIT_TARIFF_MISSING: { status: 503, message: '本站不在费率表中，无法计费，请联系管理员' },
  STN_ERR_EXIT_PROOF_MISMATCH: { status: 409, message: '卡片交易证明与待确认扣款不符，请联系班长' },
  // 403, not 404: only a logged-in collector of this station reaches this check (a stranger gets 401 first),
  // and telling them the transaction is another handheld's or shift's says what to do; an ID is no secret
  // inside the station (monitors list them), so hiding that it exists would only mislead a genuine collector.
  STN_ERR_EXIT_NOT_YOURS: {
    status: 403,
    message: '该交易不属于本手持机或本班次，请在发起交易的手持机上继续，或请班长处理',
  },
  STN_ERR_EXIT_PSAM_MISMATCH: {
    status: 409,
    message:
      'PSAM 终端号或终端交易序号与扣款申请不符，请在发起扣款的手持机上重新【提交数据】，仍不成功请联系班长',
  },
  // The CPC's files do not decode or break the card's own rules (cpc-card.md §2): the card is bad, not the read.
  STN_ERR_EXIT_CPC_UNREADABLE: {
    status: 400,
    message: 'CPC卡数据无法识别，请按坏卡处理（转无卡/坏卡流程），并收回该卡',
  },
  // Another transaction already took (or is taking) this trip's payment: a CPC keeps its entry until the
  // exit flag is written after the money, so re-reading it must not open a second charge.
  STN_ERR_EXIT_PASS_PAID: {
    status: 409,
    message:
      '该车本次通行已收费或有待确认的收费，请勿重复收费；待确认的请在原手持机上处理，仍有疑问请联系班长',
  },
  // A closed CPC (exit flag written) names no trip any more, so its PassID cannot match the earlier exit's:
  // the station's own committed exit of the same CPC ID within the window refuses it. `…` is filled with
  // the earlier exit's time (Beijing) and trade ID.
  STN_ERR_EXIT_CPC_ALREADY_EXITED: {
    status: 409,
    message: '该CPC卡已于…完成出口交易，请勿重复收费；如有疑问请联系班长',
  },
  // [P] A no-card exit has no card to say it was paid: the same plate paid (or paying) as no-card here within
  // NOCARD_REPEAT_WINDOW_HOURS is refused at the photo and at the payment intent. `…` is filled with the time.
  STN_ERR_EXIT_NOCARD_REPEAT: {
    status: 409,
    message: '该车已于…按无卡出口缴费或正在缴费，请勿重复收费；如有疑问请联系班长',
  },
  STN_ERR_EXIT_NOCARD_INVALID: {
    status: 422,
    message: '无卡信息有误：卡面CPC编号只用于坏卡，司机拒绝告知入口时不能再填入口站；请更正后重新提交',
  },
  STN_ERR_EXIT_MEDIUM_MISMATCH: {
    status: 409,
    message: '提交的数据与本笔交易的通行介质不符，请重新操作或联系班长',
  },
  STN_ERR_PAY_CASH_SHORT: { status: 422, message: '实收金额少于应收金额，请核对顾客付款后重新输入实收金额' },
  STN_ERR_PAY_CODE_INVALID: {
    status: 422,
    message: '付款码无法识别或不受支持，请让顾客刷新付款码后重新扫描，或改用现金、ETC卡支付',
  },
  STN_ERR_PAY_IN_FLIGHT: {
    status: 409,
    message: '本笔支付尚未结束，请等待支付结果，勿重复收费；如长时间无结果请联系班长',
  },
  STN_ERR_PAY_ALREADY_PAID: { status: 409, message: '本笔交易已支付成功，请勿重复收费，请继续【提交数据】' },
  STN_ERR_PAY_NOT_SUCCEEDED: {
    status: 409,
    message: '本笔交易尚未支付成功，不能提交；请等待支付结果或重新支付',
  },
  STN_ERR_PAY_NOT_FOUND: { status: 404, message: '本笔交易没有扫码支付，请重新操作' },
  STN_ERR_PAY_UNAVAILABLE: {
    status: 503,
    message: '本站未配置扫码支付平台，请改用现金或ETC卡支付，并联系管理员',
  },
  // The driver's ETC card as payment card (payments.md §6): special 27 余额不足 for a stored-value card.
  STN_ERR_PAY_ETC_CARD_BALANCE_LOW: {
    status: 422,
    message: '该ETC储值卡余额不足（特情27），不能支付本次通行费，请车主以其他方式缴费',
  },
  STN_ERR_PAY_ETC_CARD_REFUSED: {
    status: 422,
    message: '该ETC卡不能用于支付（卡片过期、锁定、非本网卡或在状态名单中），请车主以其他方式缴费',
  },
  STN_ERR_SETTLE_DATE_INVALID: {
    status: 422,
    message: '对账日期不正确：请按 YYYY-MM-DD 输入已经过去的日期（北京时间）',
  },
  // The platform publishes a day's file the next day from its settlement hour (payments.md §10.11).
  STN_ERR_SETTLE_NOT_READY: {
    status: 409,
    message: '支付平台尚未生成该日对账单，请在次日规定时间后再对账',
  },
  STN_ERR_SETTLE_UNREACHABLE: {
    status: 503,
    message: '支付平台暂时无法访问，未能下载对账单（本站数据未作任何改动），请稍后重试或联系管理员',
  },
  STN_ERR_HANDOVER_ALREADY_DONE: {
    status: 409,
    message: '该班次已交班，现金清点已记录，不能重复交班；如需更正请联系班长',
  },
  // Refunds of a captured QR payment by a monitor (refunds.ts in the contract; payments.md §5).
  STN_ERR_REFUND_NOT_FOUND: {
    status: 404,
    message: '没有找到这笔扫码支付，请核对交易编号或支付单号后重试',
  },
  STN_ERR_REFUND_FOREIGN: {
    status: 403,
    message: '这笔支付不是本站收取的，不能在本站退款，请联系收款站办理',
  },
  STN_ERR_REFUND_CASH: {
    status: 409,
    message: '这笔是现金收费，现金不能通过支付平台退款；请按现金退款规定从现金中退还并登记，或联系站长处理',
  },
  STN_ERR_REFUND_NOT_QR: {
    status: 409,
    message: '这笔不是扫码支付（如ETC卡支付），不能通过支付平台退款，请联系站长处理',
  },
  STN_ERR_REFUND_NOT_CAPTURED: {
    status: 409,
    message: '这笔扫码支付没有收款成功，无需退款；如顾客有疑问请核对支付平台账单',
  },
  // Refunding a capture the commit is about to record as paid would leave the record and the refund disagreeing.
  STN_ERR_REFUND_NOT_RECORDED: {
    status: 409,
    message: '该笔交易尚未提交，请先完成交易（提交数据）再退款',
  },
  STN_ERR_REFUND_REASON: {
    status: 422,
    message: '退款必须填写原因（至少4个字），请写明为什么退款后重试',
  },
  STN_ERR_REFUND_EXCEEDS: {
    status: 422,
    message: '退款金额超过这笔支付尚可退的金额，请核对已退款金额后重新输入',
  },
  STN_ERR_REFUND_WINDOW_CLOSED: {
    status: 409,
    message: '这笔支付已超过支付渠道允许的退款期限，不能在线退款，请联系支付平台或站长处理',
  },
  STN_ERR_REFUND_TOO_MANY: {
    status: 409,
    message: '这笔支付的退款次数已达支付渠道上限，请联系支付平台处理',
  },
  STN_ERR_REFUND_REQUEST_REUSED: {
    status: 409,
    message: '该退款申请号已用于另一笔退款，请重新打开退款页面后再提交',
  },
  STN_ERR_IMAGE_TOO_LARGE: { status: 413, message: '图片过大，请重新拍照' },
  STN_ERR_IMAGE_TYPE: { status: 415, message: '图片格式不支持（仅 JPEG/PNG/WebP）' },
  STN_ERR_IMAGE_CORRUPT: { status: 422, message: '图片已损坏，请重新拍照' },
  STN_ERR_IMAGE_DIMENSIONS: { status: 422, message: '图片像素过多，请用手持机相机重新拍照' },
  STN_ERR_IMAGE_INTERLACED: { status: 415, message: '不支持隔行扫描的 PNG 图片，请用手持机相机重新拍照' },
  STN_ERR_IMAGE_BUSY: { status: 503, message: '图片处理繁忙，请稍后重新上传' },
  STN_ERR_IMAGE_NOT_FOUND: { status: 404, message: '图片不存在，请重新拍照上传' },
  STN_ERR_RECORD_NOT_FOUND: { status: 404, message: '流水不存在' },
  // 404, not 403: the caller owns the exit (checked first); the ref is simply not one of its path's photos.
  STN_ERR_PATH_PHOTO_UNKNOWN: {
    status: 404,
    message: '该照片不属于本笔交易的通行路径，请刷新【通行路径】后再查看',
  },
  STN_ERR_PATH_PHOTO_UNAVAILABLE: {
    status: 503,
    message: '照片暂时无法从省中心取得（中心无响应或照片不合规），不影响收费，请稍后重试',
  },
  STN_ERR_GREEN_CARGO_UNKNOWN: {
    status: 422,
    message: '货物品种不在《鲜活农产品品种目录》内：目录外货物不享受绿通免费，请按目录重新选择货物品种',
  },
  STN_ERR_GREEN_PHOTOS_TOO_FEW: {
    status: 422,
    message: '查验照片不足 … 张：请从车头、车尾和两侧等多个角度拍摄装载货物后再提交',
  },
  STN_ERR_GREEN_NOT_INSPECTED: {
    status: 409,
    message: '绿通车须先在【绿通查验】中查验合格才能按绿通免费算费；未查验或查验不合格请按普通车种算费',
  },
  STN_ERR_GREEN_BANNED: {
    status: 409,
    message: '该车在绿通禁止名单（多次混装或多次假冒绿通），不能按绿通免费通行：查验已记录，请按普通车种收费',
  },
  // 补缴 (issue #22 item 4): a payback's refusals. The amounts are the centre's book's, so without it no payback.
  STN_ERR_ARREARS_CLAIMED: {
    status: 409,
    message: '所选欠费正由另一台手持机补缴或已补缴，请勿重复收费；请刷新欠费信息，仍有疑问请联系班长',
  },
  STN_ERR_ARREARS_AMOUNT_MISMATCH: {
    status: 422,
    message: '补缴金额与所选欠费合计不符：请刷新欠费信息后按合计金额补缴',
  },
  STN_ERR_ARREARS_ENTRY_NOT_OPEN: {
    status: 409,
    message: '所选欠费在中心已不存在或已结清：请刷新欠费信息后重新选择',
  },
  STN_ERR_ARREARS_CENTRE_UNAVAILABLE: {
    status: 503,
    message: '暂时无法连接中心核实欠费金额，不能补缴：请稍后重试，车辆可先按正常流程出口',
  },
  STN_ERR_ARREARS_PAYBACK_NOT_FOUND: { status: 404, message: '补缴交易不存在，请重新查询欠费后再补缴' },
  // [P] ARREARS_PAYBACK_BEFORE_EXIT: the province makes the exit wait for the payback.
  STN_ERR_ARREARS_PAYBACK_FIRST: {
    status: 409,
    message: '该车有未结清的追缴欠费，本省规定须先补缴再出口：请点【补缴】完成补缴后再收费放行',
  },
  STN_ERR_DB_UNAVAILABLE: { status: 503, message: '数据库暂不可用，请稍后重试' },
  STN_ERR_INTERNAL: { status: 500, message: '系统内部错误，请联系管理员' },
} as const satisfies Record<StationErrorCode, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The only error type the station throws on purpose; anything else is mapped by the error handler. */
/** The code each kind of failure outside the app's own errors is answered with (server-kit failureKind). */
export const FAILURE_CODES: FailureCodes<ErrorCode> = {
  validation: 'STN_ERR_REQ_INVALID',
  unavailable: 'STN_ERR_DB_UNAVAILABLE',
  'too-large': 'STN_ERR_REQ_TOO_LARGE',
  'too-deep': 'STN_ERR_REQ_TOO_DEEP',
  'uri-too-long': 'STN_ERR_REQ_URI_TOO_LONG',
  'headers-too-large': 'STN_ERR_REQ_HEADERS_TOO_LARGE',
  timeout: 'STN_ERR_REQ_TIMEOUT',
  'media-type': 'STN_ERR_REQ_MEDIA_TYPE',
  'rate-limited': 'STN_ERR_RATE_LIMITED',
  client: 'STN_ERR_REQ_INVALID',
  internal: 'STN_ERR_INTERNAL',
};

export class StationError extends CatalogueError<ErrorCode> {
  /** `fill` replaces the message's `…` (e.g. the time and trade ID of an earlier exit). */
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown; fill?: string }) {
    super(ERROR_CATALOGUE, code, detail, options);
    this.name = 'StationError';
    if (options?.fill !== undefined) this.message = this.message.replace('…', options.fill);
  }
}

export function isStationError(e: unknown): e is StationError {
  return e instanceof StationError;
}

/** The wire shape of every error answer. */
export type ErrorBody = KitErrorBody<ErrorCode>;

export function errorBody(e: StationError, requestId?: string): ErrorBody {
  return errorBodyOf(e, requestId);
}
