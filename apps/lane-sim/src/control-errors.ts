/**
 * The control port's one error catalogue: every refusal it answers has one of these codes, with the
 * status and the (Chinese) message of the body `{code, message, detail?}`. The port is the simulator's
 * stand-in for loop detectors and the camera (loopback only), so the messages speak to a tester.
 */
export const CONTROL_ERRORS = {
  NOT_FOUND: { status: 404, message: '无此接口（POST /vehicle、/passed、/fault，GET /lanes）' },
  BODY_TOO_LARGE: { status: 413, message: '请求体过大（最多 4 KiB）' },
  BODY_NOT_JSON: { status: 400, message: '请求体不是合法的JSON' },
  BODY_UNREADABLE: { status: 400, message: '请求体读取失败' },
  BODY_INVALID: { status: 400, message: '参数不符合要求' },
  PLATE_INVALID: { status: 400, message: '车牌号码与车牌颜色不符' },
  LANE_REQUIRED: { status: 400, message: '有多条车道，请指定laneId' },
  LANE_UNKNOWN: { status: 404, message: '本模拟器没有该车道' },
  REQUEST_MALFORMED: { status: 400, message: '请求不是合法的HTTP' },
  HEADERS_TOO_LARGE: { status: 431, message: '请求头过大' },
  INTERNAL: { status: 500, message: '模拟器内部错误' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ControlErrorCode = keyof typeof CONTROL_ERRORS;

/** A refusal of the control port: its code and, when it helps, what exactly was wrong. */
export class ControlError {
  constructor(
    readonly code: ControlErrorCode,
    readonly detail?: string,
  ) {}
}

export function controlError(code: ControlErrorCode, detail?: string): ControlError {
  return new ControlError(code, detail);
}

/** The status and body of a refusal. */
export function controlAnswer(e: ControlError): { status: number; body: object } {
  const { status, message } = CONTROL_ERRORS[e.code];
  return { status, body: { code: e.code, message, ...(e.detail === undefined ? {} : { detail: e.detail }) } };
}
