import { isStationErrorCode, type StationErrorCode } from '@tollpad/station-api';

/**
 * Errors the collector can see. Each has a stable code, a Chinese message saying what happened and an
 * action saying what to do next; station errors keep the station's code (STN_ERR_*).
 */
export interface UserFacingError {
  code: string;
  message: string;
  action: string;
  /** Which field to mark, when the error is about one input. */
  field?: string;
}

const HANDHELD_ERRORS = {
  HH_ERR_NETWORK: { message: '无法连接收费站服务器', action: '请检查无线网络后重试；已输入的内容不会丢失' },
  HH_ERR_TIMEOUT: { message: '服务器响应超时', action: '请稍后重试；已输入的内容不会丢失' },
  HH_ERR_BAD_RESPONSE: { message: '服务器返回的数据无法识别', action: '请重试，仍失败请联系管理员' },
  HH_ERR_GREEN_INPUT: {
    message: '绿通查验信息不完整',
    action: '请选择货物品种，并从车头、车尾、两侧等多个角度拍够货物照片后再提交',
  },
  HH_ERR_CARD_ABSENT: { message: '未检测到卡片', action: '请将ETC卡插入OBU，手持机靠近卡签后重试【读卡】' },
  HH_ERR_CARD_IO: { message: '读卡中断', action: '请保持手持机靠近卡签，重新【读卡】' },
  HH_ERR_CARD_UNREADABLE: { message: '卡片数据无法识别', action: '请重新【读卡】，仍失败请改用其他方式收费' },
  HH_ERR_READER: { message: '读卡器不可用', action: '请检查读卡器连接，或在“读卡器”中切换' },
  HH_ERR_PSAM: { message: 'PSAM卡不可用', action: '请联系管理员检查PSAM卡' },
  HH_ERR_DEBIT_FAILED: { message: '扣款失败，卡片未扣款', action: '请按提示处理后重新【提交数据】' },
  HH_ERR_TORN: { message: '扣款过程中卡片离开', action: '请放回原卡，系统将自动确认扣款结果' },
  HH_ERR_WRONG_CARD: { message: '放入的不是原卡', action: '请放回原卡（卡号见上方）' },
  HH_ERR_PLATE: { message: '车牌号码不正确', action: '请按车牌颜色重新输入车牌' },
  HH_ERR_PHOTO: { message: '未拍摄车辆照片', action: '请拍照后再【提交图片数据】' },
  HH_ERR_PAY_CODE: { message: '付款码无法识别', action: '请让顾客刷新付款码后重新扫描，或改用现金支付' },
  HH_ERR_CAMERA: { message: '相机无法扫码', action: '请用扫码枪扫描付款码，或在扫码框中输入付款码数字' },
  HH_ERR_LOGIN_FIELDS: { message: '请输入工号和密码', action: '工号和密码都不能为空' },
  HH_ERR_INTERNAL: { message: '手持机内部错误', action: '请返回ETC联动主页重试，仍失败请联系管理员' },
} as const satisfies Record<string, { message: string; action: string }>;

export type HandheldErrorCode = keyof typeof HANDHELD_ERRORS;

export class HandheldError extends Error implements UserFacingError {
  readonly code: string;
  readonly action: string;
  readonly field: string | undefined;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(
    code: string,
    message: string,
    action: string,
    opts: { field?: string; status?: number; detail?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HandheldError';
    this.code = code;
    this.action = action;
    this.field = opts.field;
    this.status = opts.status ?? 0;
    this.detail = opts.detail;
  }
}

export function handheldError(
  code: HandheldErrorCode,
  opts: { field?: string; detail?: string; cause?: unknown } = {},
): HandheldError {
  const e = HANDHELD_ERRORS[code];
  return new HandheldError(code, e.message, e.action, opts);
}

/**
 * What to do next for every station error code (the station's message says what happened): a full record,
 * so a code the station adds fails the compiler here until the collector is told what to do about it.
 */
const STATION_ACTIONS: Record<StationErrorCode, string> = {
  STN_ERR_REQ_INVALID: '请检查输入后重试，仍失败请联系管理员',
  STN_ERR_REQ_NOT_FOUND: '请更新手持机应用后重试，仍失败请联系管理员',
  STN_ERR_REQ_TOO_LARGE: '请减少输入内容或重新拍照后重试',
  STN_ERR_REQ_MEDIA_TYPE: '请更新手持机应用后重试，仍失败请联系管理员',
  STN_ERR_REQ_TOO_DEEP: '请更新手持机应用后重试，仍失败请联系管理员',
  STN_ERR_REQ_URI_TOO_LONG: '请返回主页重新进入，仍失败请联系管理员',
  STN_ERR_REQ_HEADERS_TOO_LARGE: '请退出后重新登录再试',
  STN_ERR_REQ_TIMEOUT: '请检查无线网络后重试；已输入的内容不会丢失',
  STN_ERR_RATE_LIMITED: '请稍后重试',
  STN_ERR_AUTH_REQUIRED: '请重新登录',
  STN_ERR_AUTH_SESSION_EXPIRED: '请重新登录',
  STN_ERR_AUTH_BAD_CREDENTIALS: '请核对工号和密码，稍候再试；仍无法登录请联系班长解锁',
  STN_ERR_AUTH_FORBIDDEN: '请用有权限的账号登录，或请班长/管理员操作',
  STN_ERR_AUTH_CSRF: '请在手持机应用中重新登录后再操作',
  STN_ERR_ACCOUNT_EXISTS: '请换一个工号',
  STN_ERR_ACCOUNT_NOT_FOUND: '请核对工号，刷新账号列表后重试',
  STN_ERR_ACCOUNT_WEAK_PASSWORD: '请换一个更强的密码',
  STN_ERR_ACCOUNT_LAST_ADMIN: '请先设置另一位管理员',
  STN_ERR_ACCOUNT_SELF: '请由另一位管理员操作',
  STN_ERR_CONFIG_INVALID_ID: '请按格式重新输入编号',
  STN_ERR_CONFIG_PLAZA_NOT_FOUND: '请刷新配置后重新选择收费广场',
  STN_ERR_CONFIG_LANE_NOT_FOUND: '请返回主页重新选择车道',
  STN_ERR_CONFIG_LANE_DISABLED: '请返回ETC联动主页选择其他车道',
  STN_ERR_CONFIG_TERMINAL_NOT_FOUND: '请联系管理员登记本手持终端',
  STN_ERR_CONFIG_TERMINAL_MISMATCH: '请联系管理员核对PSAM卡与终端登记',
  STN_ERR_CONFIG_REFERENCE_INVALID: '请联系管理员检查费率或名单文件；仍按原版本收费',
  STN_ERR_CONFIG_LAST_LANE: '请先启用另一条车道',
  STN_ERR_CONFIG_PSAM_BOUND: '请先解除原绑定，或联系管理员',
  STN_ERR_CONFIG_PSAM_UNBOUND: '请联系管理员绑定PSAM后再收费',
  STN_ERR_SHIFT_NOT_OPEN: '请在主页开班后重试',
  STN_ERR_SHIFT_ALREADY_OPEN: '请返回主页继续当前班次',
  STN_ERR_SHIFT_NOT_FOUND: '请返回主页刷新班次',
  STN_ERR_EXIT_NOT_FOUND: '请返回主页重新【读卡】',
  STN_ERR_EXIT_BAD_STATE: '请返回主页查看交易状态后继续，仍有疑问请联系班长',
  STN_ERR_EXIT_CANCELLED: '请返回主页重新【读卡】',
  STN_ERR_EXIT_CARD_UNREADABLE: '请重新【读卡】',
  STN_ERR_EXIT_NOT_ETC_PAYABLE: '请改用其他方式收费（如现金/移动支付），并告知司机',
  STN_ERR_EXIT_AUTH_PENDING: '请等待班长授权',
  STN_ERR_EXIT_AUTH_REFUSED: '请按班长意见处理，或返回主页',
  STN_ERR_EXIT_AMOUNT_MISMATCH: '请重新【算费】后再收费',
  STN_ERR_EXIT_CLOCK_SKEW: '请校准手持机时间后重新提交',
  STN_ERR_EXIT_COMMIT_CONFLICT: '请勿重复提交，联系班长核实该交易',
  STN_ERR_EXIT_PLATE_INVALID: '请按车牌颜色重新输入车牌',
  STN_ERR_EXIT_ENTRY_REQUIRED: '请询问司机入口站，在【算费】上方输入入口站站码后重新【算费】',
  STN_ERR_EXIT_ENTRY_UNKNOWN: '请核对入口站站码后重新输入，仍不在费率表中请联系班长',
  STN_ERR_EXIT_TARIFF_MISSING: '请联系管理员更新费率表',
  STN_ERR_EXIT_PROOF_MISMATCH: '请勿重复扣款，联系班长核实',
  STN_ERR_EXIT_NOT_YOURS: '请在发起交易的手持机上继续，或请班长处理',
  STN_ERR_EXIT_PSAM_MISMATCH: '请在发起扣款的手持机上重新【提交数据】，仍不成功请联系班长',
  STN_ERR_EXIT_CPC_UNREADABLE: '请按坏卡处理（转无卡/坏卡流程），并收回该卡',
  STN_ERR_EXIT_MEDIUM_MISMATCH: '请返回主页按卡种重新选择交易',
  STN_ERR_EXIT_PASS_PAID: '该车辆已缴费，请勿重复收费，联系班长核实',
  STN_ERR_EXIT_CPC_ALREADY_EXITED: '该CPC卡已完成出口交易，请勿重复收费；收回该卡，如有疑问请联系班长',
  STN_ERR_EXIT_NOCARD_REPEAT: '该车已按无卡缴费或正在缴费，请勿重复收费；联系班长核实',
  STN_ERR_EXIT_NOCARD_INVALID: '请核对无卡原因、卡面编号与入口站后重新提交',
  STN_ERR_PAY_CASH_SHORT: '请核对顾客付款，重新输入实收金额',
  STN_ERR_PAY_CODE_INVALID: '请让顾客刷新付款码后重新扫描，或改用现金、ETC卡支付',
  STN_ERR_PAY_IN_FLIGHT: '请等待支付结果，勿重复收费；长时间无结果请联系班长',
  STN_ERR_PAY_ALREADY_PAID: '请勿重复收费，继续【提交数据】',
  STN_ERR_PAY_NOT_SUCCEEDED: '请等待支付结果或重新支付',
  STN_ERR_PAY_NOT_FOUND: '请重新操作',
  STN_ERR_PAY_UNAVAILABLE: '请改用现金或ETC卡支付，并联系管理员',
  STN_ERR_PAY_ETC_CARD_BALANCE_LOW: '请车主以其他方式缴费（扫码或现金）',
  STN_ERR_PAY_ETC_CARD_REFUSED: '请车主以其他方式缴费（扫码或现金）',
  STN_ERR_SETTLE_DATE_INVALID: '请选择已经过去的日期后重试',
  STN_ERR_SETTLE_NOT_READY: '请在次日支付平台出账后再对账',
  STN_ERR_SETTLE_UNREACHABLE: '请稍后重试；仍失败请联系管理员检查支付平台连接',
  STN_ERR_HANDOVER_ALREADY_DONE: '如需更正现金清点请联系班长',
  STN_ERR_REFUND_NOT_FOUND: '请核对交易编号、支付单号或车牌后重新查询',
  STN_ERR_REFUND_FOREIGN: '请联系收款的收费站办理退款',
  STN_ERR_REFUND_CASH: '请按现金退款规定办理，不要在此退款',
  STN_ERR_REFUND_NOT_QR: '请联系站长处理，不要在此退款',
  STN_ERR_REFUND_NOT_CAPTURED: '请核对支付结果，无需退款',
  STN_ERR_REFUND_NOT_RECORDED: '请先让收费员提交这笔交易，再重新退款',
  STN_ERR_REFUND_REASON: '请写明退款原因（至少4个字）后重试',
  STN_ERR_REFUND_EXCEEDS: '请核对可退金额后重新输入退款金额',
  STN_ERR_REFUND_WINDOW_CLOSED: '请联系支付平台或站长线下处理',
  STN_ERR_REFUND_TOO_MANY: '请联系支付平台处理',
  STN_ERR_REFUND_REQUEST_REUSED: '请重新打开退款页面后再提交',
  STN_ERR_IMAGE_TOO_LARGE: '请重新拍照',
  STN_ERR_IMAGE_TYPE: '请用手持机相机重新拍照',
  STN_ERR_IMAGE_CORRUPT: '请重新拍照',
  STN_ERR_IMAGE_DIMENSIONS: '请用手持机相机重新拍照',
  STN_ERR_IMAGE_INTERLACED: '请用手持机相机重新拍照',
  STN_ERR_IMAGE_BUSY: '请稍后重新【提交图片数据】；已输入的内容不会丢失',
  STN_ERR_IMAGE_NOT_FOUND: '请重新拍照并【提交图片数据】',
  STN_ERR_RECORD_NOT_FOUND: '请刷新后重试，仍找不到请联系班长',
  STN_ERR_PATH_PHOTO_UNKNOWN: '请刷新【通行路径】后再查看',
  STN_ERR_PATH_PHOTO_UNAVAILABLE: '请稍后重试；不影响收费',
  STN_ERR_GREEN_CARGO_UNKNOWN: '请从货物目录中选择品种；目录外货物按普通车收费',
  STN_ERR_GREEN_PHOTOS_TOO_FEW: '请再从其他角度拍摄货物照片后提交查验',
  STN_ERR_GREEN_NOT_INSPECTED: '请先完成【绿通查验】，或按普通车种算费',
  STN_ERR_GREEN_BANNED: '该车不能享受绿通免费，请按普通车种收费',
  STN_ERR_ARREARS_CLAIMED: '这些欠费已在补缴中或已补缴，请勿重复收费；刷新欠费信息',
  STN_ERR_ARREARS_AMOUNT_MISMATCH: '请刷新欠费信息，按合计金额补缴',
  STN_ERR_ARREARS_ENTRY_NOT_OPEN: '请刷新欠费信息后重新选择',
  STN_ERR_ARREARS_CENTRE_UNAVAILABLE: '暂不能补缴，请稍后重试；车辆可先正常出口',
  STN_ERR_ARREARS_PAYBACK_NOT_FOUND: '请重新查询欠费后再补缴',
  STN_ERR_ARREARS_PAYBACK_FIRST: '请先点【补缴】完成补缴，再收费放行',
  STN_ERR_DB_UNAVAILABLE: '请稍后重试；已输入的内容不会丢失',
  STN_ERR_INTERNAL: '请稍后重试，仍失败请联系管理员',
};

/** The next step for a code the station does not list (a newer station than this handheld). */
export const UNKNOWN_STATION_ACTION = '请重试，仍失败请联系班长或管理员';

export function stationAction(code: string): string {
  return isStationErrorCode(code) ? STATION_ACTIONS[code] : UNKNOWN_STATION_ACTION;
}

/** Any thrown value as something the collector can read. */
export function toUserFacing(e: unknown): UserFacingError {
  if (e instanceof HandheldError) {
    return { code: e.code, message: e.message, action: e.action, ...(e.field ? { field: e.field } : {}) };
  }
  const name = e instanceof Error ? e.name : '';
  if (name === 'CardAbsentError') return toUserFacing(handheldError('HH_ERR_CARD_ABSENT', { cause: e }));
  if (name === 'CardIoError') return toUserFacing(handheldError('HH_ERR_CARD_IO', { cause: e }));
  return toUserFacing(handheldError('HH_ERR_INTERNAL', { cause: e }));
}
